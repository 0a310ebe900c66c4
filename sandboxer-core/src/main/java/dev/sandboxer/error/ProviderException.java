package dev.sandboxer.error;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The provider failed in a way no narrower type describes: a 5xx, an unexpected 4xx, a body that could not be read.
 * Carries the HTTP status, the vendor's own error code and a short excerpt of what it answered.
 */
public class ProviderException extends SandboxerException {

	private final @Nullable Integer status;

	private final @Nullable String code;

	private final @Nullable Duration retryAfter;

	public ProviderException(String provider, String message) {
		this(provider, message, null, null, null);
	}

	public ProviderException(String provider, String message, @Nullable Integer status, @Nullable String code,
			@Nullable Throwable cause) {
		this(provider, message, status, code, null, cause);
	}

	public ProviderException(String provider, String message, @Nullable Integer status, @Nullable String code,
			@Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(provider, message, cause);
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
	}

	/** The HTTP status the provider answered with, if the failure came from an HTTP answer. */
	public Optional<Integer> status() {
		return Optional.ofNullable(this.status);
	}

	/** The vendor's own error code, when its answer carried one. */
	public Optional<String> code() {
		return Optional.ofNullable(this.code);
	}

	/** How long the provider asked us to wait before trying again (a 503 with {@code Retry-After}), if it said. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
