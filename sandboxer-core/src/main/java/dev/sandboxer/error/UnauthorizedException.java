package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/** The provider refused the credentials (HTTP 401 or 403). The message never contains the credential itself. */
public class UnauthorizedException extends SandboxerException {

	public UnauthorizedException(@Nullable String provider, String message) {
		super(provider, message, null);
	}

}
