package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/** The account ran out of something (concurrent sandboxes, credits, payment): retrying will not help. */
public class QuotaExceededException extends SandboxerException {

	public QuotaExceededException(@Nullable String provider, String message) {
		super(provider, message, null);
	}

}
