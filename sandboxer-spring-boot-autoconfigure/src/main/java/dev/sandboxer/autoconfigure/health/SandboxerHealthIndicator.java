package dev.sandboxer.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.observation.SandboxerOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one provider, from its cheapest authenticated call ({@link Sandboxer#ping()}): the Engine ping for
 * {@code local}, a small API call for vendors.
 * <p>
 * The result is reused for a while, up or down, so that frequent probes do not spend a vendor's rate limit. A
 * provider that fails is {@code DOWN} with the kind of failure as {@code reason} ({@code unauthorized},
 * {@code connection_failed}, {@code timeout}, ...); details come from the typed error and the ping, never from the
 * configuration, so no credential can show.
 */
public final class SandboxerHealthIndicator implements HealthIndicator {

	private final Sandboxer sandboxer;

	private final Duration timeout;

	private final Duration cacheTimeToLive;

	private final Clock clock;

	private volatile @Nullable Cached cached;

	/**
	 * @param timeout how long one check may take before the provider is reported down
	 * @param cacheTimeToLive how long a result is reused; zero to check every time
	 */
	public SandboxerHealthIndicator(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive) {
		this(sandboxer, timeout, cacheTimeToLive, Clock.systemUTC());
	}

	SandboxerHealthIndicator(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive, Clock clock) {
		this.sandboxer = sandboxer;
		this.timeout = timeout;
		this.cacheTimeToLive = cacheTimeToLive;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Cached last = this.cached;
		Instant now = this.clock.instant();
		if (last != null && now.isBefore(last.until())) {
			return last.health();
		}
		Health health = check();
		if (!this.cacheTimeToLive.isZero()) {
			this.cached = new Cached(health, now.plus(this.cacheTimeToLive));
		}
		return health;
	}

	private Health check() {
		Health.Builder builder = Health.unknown()
			.withDetail("provider", this.sandboxer.name())
			.withDetail("type", this.sandboxer.type().id());
		CompletableFuture<Map<String, String>> ping = this.sandboxer.async().ping();
		try {
			Map<String, String> details = ping.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return builder.up().withDetails(details).build();
		}
		catch (TimeoutException ex) {
			ping.cancel(true);
			return builder.down().withDetail("reason", "timeout")
				.withDetail("error", "No answer within " + this.timeout.toMillis() + " ms")
				.build();
		}
		catch (InterruptedException ex) {
			ping.cancel(true);
			Thread.currentThread().interrupt();
			return builder.down().withDetail("reason", "interrupted").build();
		}
		catch (ExecutionException ex) {
			Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
			String message = Objects.toString(failure.getMessage(), "no message");
			return builder.down()
				.withDetail("reason", SandboxerOutcome.of(failure).name().toLowerCase(Locale.ROOT))
				.withDetail("error", failure.getClass().getSimpleName() + ": " + message)
				.build();
		}
	}

	private record Cached(Health health, Instant until) {
	}

}
