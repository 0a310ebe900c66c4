package dev.sandboxer.config;

import java.time.Duration;

import dev.sandboxer.error.BadConfigException;

/**
 * How calls that are safe to repeat are retried on 429, 502, 503, 504 and connection resets: capped exponential
 * backoff with jitter, waiting at least as long as a {@code Retry-After} asks. A value out of range is a
 * {@link BadConfigException} naming its {@code retry.*} key.
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
			throw new BadConfigException(null, "retry.max-attempts",
					"'retry.max-attempts' must be at least 1, got " + maxAttempts);
		}
		if (initialBackoff == null || initialBackoff.isNegative()) {
			throw new BadConfigException(null, "retry.initial-backoff",
					"'retry.initial-backoff' must be zero or positive, got " + initialBackoff);
		}
		if (maxBackoff == null || maxBackoff.isNegative()) {
			throw new BadConfigException(null, "retry.max-backoff",
					"'retry.max-backoff' must be zero or positive, got " + maxBackoff);
		}
	}

}
