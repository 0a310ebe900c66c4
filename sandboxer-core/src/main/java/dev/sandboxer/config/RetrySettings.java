package dev.sandboxer.config;

import java.time.Duration;

/**
 * How calls that are safe to repeat are retried on 429, 502, 503, 504 and connection resets: capped exponential
 * backoff with jitter, waiting at least as long as a {@code Retry-After} asks.
 *
 * @param maxAttempts attempts in all, the first included; 1 turns retries off
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between two attempts
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

	public static final RetrySettings DEFAULT = new RetrySettings(3, Duration.ofMillis(200), Duration.ofSeconds(5));

	public static final RetrySettings NONE = new RetrySettings(1, Duration.ZERO, Duration.ZERO);

	public RetrySettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
		}
		if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
			throw new IllegalArgumentException("Backoff durations must be zero or positive");
		}
	}

}
