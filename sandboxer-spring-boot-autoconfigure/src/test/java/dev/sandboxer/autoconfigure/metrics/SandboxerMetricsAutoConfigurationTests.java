package dev.sandboxer.autoconfigure.metrics;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.FakeProviderFactory;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.spi.ProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SandboxerMetricsAutoConfiguration}, with Spring Boot's own observation and metrics
 * auto-configuration, as in an application.
 */
class SandboxerMetricsAutoConfigurationTests {

	private final FakeProviderFactory fakeLocal = new FakeProviderFactory("local");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SandboxerAutoConfiguration.class, SandboxerMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(ProviderFactory.class, () -> this.fakeLocal);

	@Test
	void operationsShouldBeTimedAndSandboxesCountedPerProvider() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Sandboxer sandboxer = context.getBean(Sandboxer.class);
			assertThat(meters.get(SandboxerMetrics.CREATED).tag("provider", "local").counter().count()).isZero();
			Sandbox first = sandboxer.createSandbox();
			sandboxer.createSandbox();
			assertThat(meters.get(SandboxerMetrics.ACTIVE).tag("provider", "local").gauge().value()).isEqualTo(2);
			first.kill();
			assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandboxer.killSandbox("gone"));

			assertThat(meters.get(SandboxerMetrics.ACTIVE).tag("provider", "local").gauge().value()).isEqualTo(1);
			assertThat(meters.get(SandboxerMetrics.CREATED).tags("provider", "local", "provider.type", "local")
				.counter()
				.count()).isEqualTo(2);
			assertThat(meters.get(SandboxerMetrics.KILLED).tag("provider", "local").counter().count()).isEqualTo(1);
			Timer created = meters.get("sandboxer.operation")
				.tags("provider", "local", "operation", "create_sandbox", "outcome", "SUCCESS", "error", "none")
				.timer();
			assertThat(created.count()).isEqualTo(2);
			Timer missing = meters.get("sandboxer.operation")
				.tags("operation", "kill_sandbox", "outcome", "NOT_FOUND", "error", "NotFoundException")
				.timer();
			assertThat(missing.count()).isEqualTo(1);
		});
	}

	@Test
	void runWithoutMicrometerShouldNotCreateMeters() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class,
				SandboxerMetricsAutoConfiguration.class))
			.withBean(ProviderFactory.class, () -> new FakeProviderFactory("local"))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SandboxerMetrics.class));
	}

	@Test
	void runWithoutMeterRegistryShouldNotCreateMeters() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class,
				SandboxerMetricsAutoConfiguration.class))
			.withBean(ProviderFactory.class, () -> new FakeProviderFactory("local"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SandboxerMetrics.class));
	}

}
