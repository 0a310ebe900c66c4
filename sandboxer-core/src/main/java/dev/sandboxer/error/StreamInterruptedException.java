package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/**
 * A streamed answer stopped before its end: the connection dropped, or the stream finished without the closing frame
 * its protocol requires. What was received before the cut was delivered; the operation itself (a command, an
 * upload) may still be running or may have taken effect.
 */
public class StreamInterruptedException extends ProviderConnectionException {

	public StreamInterruptedException(String provider, String message, @Nullable Throwable cause) {
		super(provider, message, cause);
	}

}
