package dev.sandboxer.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.observation.SandboxerOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one provider, from its cheapest authenticated call ({@link Sandboxer#ping()}), shared by the
 * blocking and the reactive indicator.
 * <p>
 * Every check ends: a ping that does not answer within the timeout is cancelled and reported with the reason
 * {@code timeout}. Probes that arrive while a check runs wait for that check instead of starting their own, so a hung
 * Engine or vendor holds at most one call per provider, however often Kubernetes asks. A result is reused for the
 * cache time-to-live, up or down.
 * <p>
 * A failed provider is {@link #PROVIDER_DOWN}, a status Spring Boot's default aggregation does not rank, so that a
 * vendor's outage shows without turning the application's health {@code DOWN} (HTTP 503) and getting a healthy app
 * restarted; with {@code sandboxer.health.allow-to-fail=true} it is {@code DOWN}. Details come from the typed error
 * and the ping, never from the configuration, so no credential can show.
 */
final class ProviderHealthCheck {

	/** A provider that failed its check, reported without failing the application's health. */
	static final Status PROVIDER_DOWN = new Status("PROVIDER_DOWN",
			"The provider failed its check; set sandboxer.health.allow-to-fail=true to report it DOWN");

	private final Sandboxer sandboxer;

	private final Duration timeout;

	private final Duration cacheTimeToLive;

	private final boolean allowToFail;

	private final Clock clock;

	private final AtomicReference<@Nullable CompletableFuture<Health>> running = new AtomicReference<>();

	private volatile @Nullable Cached cached;

	ProviderHealthCheck(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive, boolean allowToFail,
			Clock clock) {
		this.sandboxer = sandboxer;
		this.timeout = timeout;
		this.cacheTimeToLive = cacheTimeToLive;
		this.allowToFail = allowToFail;
		this.clock = clock;
	}

	/** The longest a check takes: its timeout. */
	Duration timeout() {
		return this.timeout;
	}

	/** The provider's health; the future completes within the timeout and never fails. */
	CompletableFuture<Health> check() {
		Cached last = this.cached;
		if (last != null && this.clock.instant().isBefore(last.until())) {
			return CompletableFuture.completedFuture(last.health());
		}
		while (true) {
			CompletableFuture<Health> current = this.running.get();
			if (current != null) {
				return current;
			}
			CompletableFuture<Health> mine = new CompletableFuture<>();
			if (this.running.compareAndSet(null, mine)) {
				start(mine);
				return mine;
			}
		}
	}

	/**
	 * Waits for a check, for a caller that must block (the servlet indicator). The wait is bounded even if the
	 * check's own timeout were not honoured.
	 */
	Health awaitCheck() {
		CompletableFuture<Health> check = check();
		try {
			return check.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return failed("interrupted", "The health probe was interrupted", null).build();
		}
		catch (ExecutionException | TimeoutException ex) {
			return failed("timeout", "No answer within " + this.timeout.toMillis() + " ms", null).build();
		}
	}

	private void start(CompletableFuture<Health> result) {
		CompletableFuture<Map<String, String>> ping;
		try {
			ping = this.sandboxer.async().ping();
		}
		catch (RuntimeException ex) {
			ping = CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Map<String, String>> pinged = ping;
		pinged.copy().orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((details, error) -> {
			Health health;
			try {
				if (error == null) {
					health = base(Status.UP).withDetails(details).build();
				}
				else {
					if (unwrap(error) instanceof TimeoutException) {
						// Ask the provider to stop the call; those that honour cancellation free its connection now.
						pinged.cancel(true);
					}
					health = describe(unwrap(error));
				}
			}
			catch (RuntimeException ex) {
				health = failed("error", ex.getClass().getSimpleName(), null).build();
			}
			if (!this.cacheTimeToLive.isZero()) {
				this.cached = new Cached(health, this.clock.instant().plus(this.cacheTimeToLive));
			}
			this.running.set(null);
			result.complete(health);
		});
	}

	private Health describe(Throwable failure) {
		if (failure instanceof TimeoutException) {
			return failed("timeout", "No answer within " + this.timeout.toMillis() + " ms", null).build();
		}
		if (failure instanceof CancellationException) {
			return failed("cancelled", "The check was cancelled", null).build();
		}
		Integer httpStatus = (failure instanceof ProviderException provider) ? provider.status().orElse(null) : null;
		return failed(SandboxerOutcome.of(failure).name().toLowerCase(Locale.ROOT),
				Objects.toString(failure.getMessage(), failure.getClass().getSimpleName()), httpStatus)
			.withDetail("exception", failure.getClass().getSimpleName())
			.build();
	}

	private Health.Builder failed(String reason, String error, @Nullable Integer httpStatus) {
		Health.Builder builder = base(this.allowToFail ? Status.DOWN : PROVIDER_DOWN).withDetail("reason", reason)
			.withDetail("error", error);
		if (httpStatus != null) {
			builder.withDetail("httpStatus", httpStatus);
		}
		return builder;
	}

	private Health.Builder base(Status status) {
		return Health.status(status)
			.withDetail("provider", this.sandboxer.name())
			.withDetail("type", this.sandboxer.type().id());
	}

	private static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private record Cached(Health health, Instant until) {
	}

}
