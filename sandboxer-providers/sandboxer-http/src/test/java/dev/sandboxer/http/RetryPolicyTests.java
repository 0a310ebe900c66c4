package dev.sandboxer.http;

// Which failures are transient follows the rule (429, 502, 503, 504, connection failures) and
// Retry-After per RFC 9110 section 10.2.3.

import java.time.Duration;

import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.StreamInterruptedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private final RetryPolicy policy = new RetryPolicy(
			new RetrySettings(5, Duration.ofMillis(100), Duration.ofMillis(1000)));

	@Test
	void doublesTheWaitWithJitterUpToTheCap() {
		for (int i = 0; i < 200; i++) {
			assertThat(this.policy.waitBefore(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
			assertThat(this.policy.waitBefore(2, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
			assertThat(this.policy.waitBefore(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
			assertThat(this.policy.waitBefore(10, null)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
		}
	}

	@Test
	void waitsAtLeastTheRetryAfterTheVendorAsked() {
		assertThat(this.policy.waitBefore(1, Duration.ofMillis(800))).isEqualTo(Duration.ofMillis(800));
	}

	@Test
	void givesUpWhenTheVendorAsksForMoreThanTheCap() {
		assertThat(this.policy.waitBefore(1, Duration.ofSeconds(30))).isNull();
	}

	@Test
	void repeatsOnlyFailuresLikelyToPass() {
		assertThat(RetryPolicy.isTransient(new RateLimitException("p", "slow down", null))).isTrue();
		assertThat(RetryPolicy.isTransient(new ProviderConnectionException("p", "reset", null))).isTrue();
		assertThat(RetryPolicy.isTransient(status(502))).isTrue();
		assertThat(RetryPolicy.isTransient(status(503))).isTrue();
		assertThat(RetryPolicy.isTransient(status(504))).isTrue();
		assertThat(RetryPolicy.isTransient(status(500))).isFalse();
		assertThat(RetryPolicy.isTransient(new NotFoundException("p", "gone"))).isFalse();
		assertThat(RetryPolicy.isTransient(new ProviderTimeoutException("p", "late", null))).isFalse();
		assertThat(RetryPolicy.isTransient(new StreamInterruptedException("p", "cut", null))).isFalse();
	}

	private static ProviderException status(int status) {
		return new ProviderException("p", "failed", status, null, null);
	}

}
