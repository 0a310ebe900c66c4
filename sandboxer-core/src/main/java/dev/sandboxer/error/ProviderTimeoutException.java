package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/** The provider did not answer within the allowed time. The operation may or may not have taken effect. */
public class ProviderTimeoutException extends ProviderException {

	public ProviderTimeoutException(String provider, String message, @Nullable Throwable cause) {
		super(provider, message, null, null, cause);
	}

}
