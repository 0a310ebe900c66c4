package dev.sandboxer.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;

import dev.sandboxer.Sandboxer;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * The reactive form of {@link SandboxerHealthIndicator}, for reactive applications: the check runs on the
 * provider's own asynchronous client and no thread waits for it.
 */
public final class SandboxerReactiveHealthIndicator implements ReactiveHealthIndicator {

	private final ProviderHealthCheck check;

	/**
	 * @param timeout how long one check may take before the provider is reported down
	 * @param cacheTimeToLive how long a result is reused; zero to check every time
	 * @param allowToFail whether a provider's failure is {@code DOWN}, failing the application's health
	 */
	public SandboxerReactiveHealthIndicator(Sandboxer sandboxer, Duration timeout, Duration cacheTimeToLive,
			boolean allowToFail) {
		this(new ProviderHealthCheck(sandboxer, timeout, cacheTimeToLive, allowToFail, Clock.systemUTC()));
	}

	SandboxerReactiveHealthIndicator(ProviderHealthCheck check) {
		this.check = check;
	}

	@Override
	public Mono<Health> health() {
		// The check is shared by concurrent probes: one subscriber going away must not cancel it for the others.
		return Mono.fromFuture(this.check::check, true);
	}

}
