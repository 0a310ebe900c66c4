package dev.sandboxer.observation;

import java.util.concurrent.CancellationException;

import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.UnauthorizedException;
import org.jspecify.annotations.Nullable;

/** How an operation ended, as a bounded set of values for the {@code outcome} tag. */
public enum SandboxerOutcome {

	SUCCESS, NOT_FOUND, UNAUTHORIZED, RATE_LIMITED, QUOTA_EXCEEDED, NOT_SUPPORTED, BAD_CONFIG, TIMEOUT,
	CONNECTION_FAILED, CANCELLED, PROVIDER_ERROR;

	/** The outcome of an operation that ended with this error, or {@link #SUCCESS} for none. */
	public static SandboxerOutcome of(@Nullable Throwable error) {
		if (error == null) {
			return SUCCESS;
		}
		if (error instanceof NotFoundException) {
			return NOT_FOUND;
		}
		if (error instanceof UnauthorizedException) {
			return UNAUTHORIZED;
		}
		if (error instanceof RateLimitException) {
			return RATE_LIMITED;
		}
		if (error instanceof QuotaExceededException) {
			return QUOTA_EXCEEDED;
		}
		if (error instanceof NotSupportedException) {
			return NOT_SUPPORTED;
		}
		if (error instanceof BadConfigException) {
			return BAD_CONFIG;
		}
		if (error instanceof ProviderTimeoutException) {
			return TIMEOUT;
		}
		if (error instanceof ProviderConnectionException) {
			return CONNECTION_FAILED;
		}
		if (error instanceof CancellationException) {
			return CANCELLED;
		}
		return PROVIDER_ERROR;
	}

}
