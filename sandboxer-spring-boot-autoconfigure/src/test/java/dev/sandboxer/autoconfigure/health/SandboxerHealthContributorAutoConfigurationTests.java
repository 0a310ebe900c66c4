package dev.sandboxer.autoconfigure.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.autoconfigure.FakeProviderFactory;
import dev.sandboxer.autoconfigure.FakeProviderFactory.FakeProvider;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.spi.ProviderFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SandboxerHealthContributorAutoConfiguration} and {@link SandboxerHealthIndicator}.
 */
class SandboxerHealthContributorAutoConfigurationTests {

	private final FakeProviderFactory fake = new FakeProviderFactory();

	private final FakeProviderFactory fakeLocal = new FakeProviderFactory("local");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class,
				SandboxerHealthContributorAutoConfiguration.class))
		.withBean("fakeFactory", ProviderFactory.class, () -> this.fake)
		.withBean("fakeLocalFactory", ProviderFactory.class, () -> this.fakeLocal)
		.withPropertyValues("sandboxer.providers.local.image=busybox", "sandboxer.providers.fake.api-key=good-key");

	@Test
	void runShouldCreateOneIndicatorPerProvider() {
		this.contextRunner.run((context) -> {
			CompositeHealthContributor composite = context.getBean("sandboxerHealthContributor",
					CompositeHealthContributor.class);
			assertThat(composite.stream().map((entry) -> entry.name())).containsExactly("local", "fake");
			Health health = indicator(composite, "fake").health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("provider", "fake")
				.containsEntry("type", "fake")
				.containsEntry("sandboxes", "0");
		});
	}

	@Test
	void refusedKeyShouldBeProviderDownByDefaultWithTheReasonOnceAndWithoutTheKey() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake.api-key=wrong-key").run((context) -> {
			Health health = indicator(context.getBean(CompositeHealthContributor.class), "fake").health();
			assertThat(health.getStatus().getCode()).isEqualTo("PROVIDER_DOWN");
			assertThat(health.getDetails()).containsEntry("reason", "unauthorized")
				.containsEntry("error", "The provider refused the API key (HTTP 401)")
				.containsEntry("exception", "UnauthorizedException");
			assertThat(health.toString()).doesNotContain("wrong-key");
		});
	}

	@Test
	void refusedKeyShouldBeDownWhenAllowedToFail() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=wrong-key", "sandboxer.health.allow-to-fail=true")
			.run((context) -> {
				Health health = indicator(context.getBean(CompositeHealthContributor.class), "fake").health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "unauthorized");
			});
	}

	@Test
	void hungProviderShouldEndEveryProbeWithinTheTimeoutAndHoldOnePingAtATime() throws Exception {
		this.contextRunner
			.withPropertyValues("sandboxer.health.timeout=300ms", "sandboxer.health.cache-time-to-live=0s")
			.run((context) -> {
				FakeProvider provider = this.fake.only();
				CompletableFuture<Map<String, String>> hung = new CompletableFuture<>();
				provider.pingAnswer = hung;
				HealthIndicator indicator = indicator(context.getBean(CompositeHealthContributor.class), "fake");
				ExecutorService probes = Executors.newFixedThreadPool(8);
				try {
					List<Future<Health>> answers = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						answers.add(probes.submit(() -> indicator.health()));
					}
					for (Future<Health> answer : answers) {
						Health health = answer.get(10, TimeUnit.SECONDS);
						assertThat(health.getStatus().getCode()).isEqualTo("PROVIDER_DOWN");
						assertThat(health.getDetails()).containsEntry("reason", "timeout");
					}
				}
				finally {
					probes.shutdownNow();
				}
				assertThat(provider.pings.get()).isLessThan(8);
				assertThat(hung).isCancelled();
			});
	}

	@Test
	void reactiveApplicationShouldGetReactiveIndicatorsThatShareTheCheck() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class,
					SandboxerHealthContributorAutoConfiguration.class))
			.withBean("fakeFactory", ProviderFactory.class, () -> this.fake)
			.withPropertyValues("sandboxer.providers.fake.api-key=good-key")
			.run((context) -> {
				assertThat(context).hasSingleBean(CompositeReactiveHealthContributor.class)
					.doesNotHaveBean(CompositeHealthContributor.class);
				CompositeReactiveHealthContributor composite = context
					.getBean(CompositeReactiveHealthContributor.class);
				ReactiveHealthIndicator fake = (ReactiveHealthIndicator) composite.getContributor("fake");
				assertThat(fake.health().block(Duration.ofSeconds(10)).getStatus()).isEqualTo(Status.UP);
				assertThat(fake.health().block(Duration.ofSeconds(10)).getStatus()).isEqualTo(Status.UP);
				assertThat(this.fake.only().pings).hasValue(1);
			});
	}

	@Test
	void remoteProviderResultShouldBeCachedAndLocalAskedEveryTime() {
		this.contextRunner.run((context) -> {
			CompositeHealthContributor composite = context.getBean(CompositeHealthContributor.class);
			for (int i = 0; i < 3; i++) {
				indicator(composite, "fake").health();
				indicator(composite, "local").health();
			}
			assertThat(this.fake.only().pings).hasValue(1);
			assertThat(this.fakeLocal.only().pings).hasValue(3);
		});
	}

	@Test
	void zeroTimeToLiveShouldAskEveryTime() {
		this.contextRunner.withPropertyValues("sandboxer.health.cache-time-to-live=0s").run((context) -> {
			CompositeHealthContributor composite = context.getBean(CompositeHealthContributor.class);
			indicator(composite, "fake").health();
			indicator(composite, "fake").health();
			assertThat(this.fake.only().pings).hasValue(2);
		});
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicators() {
		this.contextRunner.withPropertyValues("management.health.sandboxer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("sandboxerHealthContributor"));
	}

	@Test
	void runWithoutSpringBootHealthShouldNotCreateIndicators() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(CompositeHealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("sandboxerHealthContributor"));
	}

	@Test
	void backsOffWhenApplicationDefinesItsOwn() {
		this.contextRunner
			.withBean("sandboxerHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean("sandboxerHealthContributor"));
	}

	private static HealthIndicator indicator(CompositeHealthContributor composite, String name) {
		return (HealthIndicator) composite.getContributor(name);
	}

}
