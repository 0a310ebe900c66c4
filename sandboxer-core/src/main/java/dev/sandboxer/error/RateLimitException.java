package dev.sandboxer.error;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/** The provider asked us to slow down (HTTP 429) and retries, if any were allowed, did not get through. */
public class RateLimitException extends SandboxerException {

	private final @Nullable Duration retryAfter;

	public RateLimitException(@Nullable String provider, String message, @Nullable Duration retryAfter) {
		super(provider, message, null);
		this.retryAfter = retryAfter;
	}

	/** How long the provider asked us to wait, when it sent a {@code Retry-After} header. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
