package dev.sandboxer.ai;

/**
 * Thrown when a conversation needs a new sandbox and every allowed sandbox already belongs to another conversation.
 * The tools turn it into a result that says so; nothing is created.
 */
public final class SandboxLimitException extends RuntimeException {

	private final int limit;

	SandboxLimitException(int limit) {
		super("All " + limit + " sandboxes allowed at once are in use by other conversations");
		this.limit = limit;
	}

	/** How many sandboxes may exist at once. */
	public int limit() {
		return this.limit;
	}

}
