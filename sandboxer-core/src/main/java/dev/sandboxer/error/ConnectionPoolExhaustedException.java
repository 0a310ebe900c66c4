package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/**
 * Every connection of the client's pool to the provider was in use and none came free in time, or too many calls
 * were already waiting for one. The call was not sent. Not a slow provider: long-lived streams (running commands,
 * terminals, streamed downloads) or too many calls at once hold the connections.
 */
public class ConnectionPoolExhaustedException extends ProviderException {

	public ConnectionPoolExhaustedException(String provider, String message, @Nullable Throwable cause) {
		super(provider, message, null, null, cause);
	}

}
