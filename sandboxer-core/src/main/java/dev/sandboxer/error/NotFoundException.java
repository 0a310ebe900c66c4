package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/** The sandbox, file, process or handle does not exist (any more): a killed or expired sandbox gives this. */
public class NotFoundException extends SandboxerException {

	public NotFoundException(@Nullable String provider, String message) {
		this(provider, message, null);
	}

	public NotFoundException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(provider, message, cause);
	}

}
