package dev.sandboxer.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;

import dev.sandboxer.Sandboxer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one provider, from its cheapest authenticated call ({@link Sandboxer#ping()}): the Engine ping for
 * {@code local}, a small API call for vendors. A probe waits at most the timeout; concurrent probes share one check;
 * a result is reused for the cache time-to-live. A failing provider is {@code PROVIDER_DOWN} (the application's
 * health stays up) unless failing is allowed, then {@code DOWN}, with the kind of failure as {@code reason}
 * ({@code unauthorized}, {@code connection_failed}, {@code timeout}, ...); never a credential.
 */
public final class SandboxerHealthIndicator implements HealthIndicator {

	private final ProviderHealthCheck check;

	/**
	 * A provider's failure reported as {@code PROVIDER_DOWN}, without failing the application's health.
	 * @param timeout how long one check may take before the provider is reported down
	 * @param cacheTimeToLive how long a result is reused; zero to check every time
	 */
	public SandboxerHealthIndicator(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive) {
		this(sandboxer, timeout, cacheTimeToLive, false);
	}

	/**
	 * @param allowToFail whether a provider's failure is {@code DOWN}, failing the application's health
	 */
	public SandboxerHealthIndicator(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive,
			boolean allowToFail) {
		this(new ProviderHealthCheck(sandboxer, timeout, cacheTimeToLive, allowToFail, Clock.systemUTC()));
	}

	SandboxerHealthIndicator(ProviderHealthCheck check) {
		this.check = check;
	}

	@Override
	public Health health() {
		return this.check.awaitCheck();
	}

}
