package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/**
 * A blocking call whose operation was cancelled (its future was cancelled, or the waiting thread was interrupted).
 * What the provider had done by then may have taken effect; a sandbox it created is killed, never lost.
 */
public class CancelledException extends SandboxerException {

	public CancelledException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(provider, message, cause);
	}

}
