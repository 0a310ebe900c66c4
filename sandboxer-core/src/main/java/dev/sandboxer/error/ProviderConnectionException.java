package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/** The provider could not be reached: refused, reset or unresolvable connection, TLS failure. */
public class ProviderConnectionException extends ProviderException {

	public ProviderConnectionException(String provider, String message, @Nullable Throwable cause) {
		super(provider, message, null, null, cause);
	}

}
