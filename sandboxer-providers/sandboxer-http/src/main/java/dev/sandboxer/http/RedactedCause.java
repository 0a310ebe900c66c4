package dev.sandboxer.http;

import org.jspecify.annotations.Nullable;

/**
 * A transport failure as it is attached to a typed error: the original's class name and its message with every
 * secret masked, its stack trace, and its causes treated the same way. Transport exceptions put URLs and answers in
 * their messages, and a cause's message is printed with every stack trace.
 */
final class RedactedCause extends RuntimeException {

	private static final int MAX_DEPTH = 16;

	private final String originalType;

	private RedactedCause(Throwable original, Redactor redactor, @Nullable Throwable cause) {
		super(redactor.redact(original.getMessage()), cause, false, true);
		this.originalType = original.getClass().getName();
		setStackTrace(original.getStackTrace());
	}

	/** A copy of the chain with every message redacted; {@code null} stays {@code null}. */
	static @Nullable Throwable of(@Nullable Throwable error, Redactor redactor) {
		return copy(error, redactor, 0);
	}

	private static @Nullable Throwable copy(@Nullable Throwable error, Redactor redactor, int depth) {
		if (error == null) {
			return null;
		}
		if (error instanceof RedactedCause || depth >= MAX_DEPTH) {
			return error instanceof RedactedCause ? error : null;
		}
		Throwable cause = (error.getCause() != error) ? copy(error.getCause(), redactor, depth + 1) : null;
		return new RedactedCause(error, redactor, cause);
	}

	/** The class of the failure this stands for. */
	String originalType() {
		return this.originalType;
	}

	@Override
	public String toString() {
		String message = getMessage();
		return this.originalType + ((message != null) ? ": " + message : "");
	}

}
