package dev.sandboxer.ai;

/**
 * A failure a tool reports to the model as its result, {@code {"error": code, "message": message}}, rather than as an
 * exception: the model reads the message and can try again differently.
 */
final class ToolFailure extends RuntimeException {

	private final String code;

	ToolFailure(String code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	static ToolFailure badArguments(String message) {
		return new ToolFailure("bad_arguments", message);
	}

	String code() {
		return this.code;
	}

}
