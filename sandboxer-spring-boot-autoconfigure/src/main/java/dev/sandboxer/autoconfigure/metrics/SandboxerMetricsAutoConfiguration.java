package dev.sandboxer.autoconfigure.metrics;

import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.Sandboxers;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of Sandboxer's meters.
 * The {@code sandboxer.operation} timer needs nothing here: Spring Boot's observation auto-configuration hands the
 * {@code ObservationRegistry} (with its meter handler) to every client.
 */
@AutoConfiguration(after = SandboxerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, Sandboxers.class })
@ConditionalOnBean({ MeterRegistry.class, Sandboxers.class })
public final class SandboxerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SandboxerMetrics sandboxerMetrics(ObjectProvider<Sandboxers> sandboxers) {
		return new SandboxerMetrics(sandboxers::getObject);
	}

}
