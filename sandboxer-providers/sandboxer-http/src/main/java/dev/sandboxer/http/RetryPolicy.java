package dev.sandboxer.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.StreamInterruptedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Repeats a call that is safe to repeat when the failure is likely to pass: 429, 502, 503, 504 and failed
 * connections. The wait doubles from {@link RetrySettings#initialBackoff()} up to {@link RetrySettings#maxBackoff()},
 * with "equal jitter" (half fixed, half random) so that many clients do not retry in step, and is never shorter than
 * a {@code Retry-After} the vendor sent. A {@code Retry-After} longer than the cap ends the retries: waiting that long
 * inside a call is the caller's decision, and the typed error carries the wait it asked for.
 */
final class RetryPolicy {

	private static final Logger logger = LoggerFactory.getLogger(RetryPolicy.class);

	private final RetrySettings settings;

	RetryPolicy(RetrySettings settings) {
		this.settings = settings;
	}

	<T> Mono<T> apply(Mono<T> call, boolean safeToRepeat, String what) {
		if (!safeToRepeat || this.settings.maxAttempts() <= 1) {
			return call;
		}
		return call.retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> {
			Throwable failure = signal.failure();
			int nextAttempt = (int) signal.totalRetries() + 2;
			Duration wait = (nextAttempt <= this.settings.maxAttempts() && isTransient(failure))
					? waitBefore(nextAttempt - 1, retryAfterOf(failure)) : null;
			if (wait == null) {
				return Mono.error(failure);
			}
			logger.info("{}: attempt {} of {} in {} ms after: {}", what, nextAttempt, this.settings.maxAttempts(),
					wait.toMillis(), failure.getMessage());
			return Mono.delay(wait).thenReturn(nextAttempt);
		})));
	}

	/** Whether a failure is worth another try. A cut stream is not: part of it was already delivered. */
	static boolean isTransient(Throwable failure) {
		if (failure instanceof RateLimitException) {
			return true;
		}
		if (failure instanceof StreamInterruptedException) {
			return false;
		}
		if (failure instanceof ProviderConnectionException) {
			return true;
		}
		if (failure instanceof ProviderException provider) {
			int status = provider.status().orElse(0);
			return status == 502 || status == 503 || status == 504;
		}
		return false;
	}

	/**
	 * The wait before retry number {@code retry} (1 for the first), or {@code null} when the vendor asked for a wait
	 * longer than the cap.
	 */
	@Nullable Duration waitBefore(int retry, @Nullable Duration retryAfter) {
		long cap = this.settings.maxBackoff().toMillis();
		if (retryAfter != null && retryAfter.toMillis() > cap) {
			return null;
		}
		long base = Math.min(cap, this.settings.initialBackoff().toMillis() << Math.min(retry - 1, 20));
		long half = base / 2;
		long jittered = half + ((half > 0) ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
		long wait = Math.max(jittered, (retryAfter != null) ? retryAfter.toMillis() : 0);
		return Duration.ofMillis(wait);
	}

	private static @Nullable Duration retryAfterOf(Throwable failure) {
		if (failure instanceof RateLimitException rateLimit) {
			return rateLimit.retryAfter().orElse(null);
		}
		if (failure instanceof ProviderException provider) {
			return provider.retryAfter().orElse(null);
		}
		return null;
	}

}
