package dev.sandboxer.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.SandboxerProperties;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Conditional;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the {@code sandboxer}
 * health contributor: one indicator per configured provider, reactive in a reactive web application. Turned off with
 * {@code management.health.sandboxer.enabled=false}.
 */
@AutoConfiguration(after = SandboxerAutoConfiguration.class)
@ConditionalOnClass({ CompositeHealthContributor.class, Sandboxer.class })
@ConditionalOnBean(Sandboxers.class)
@ConditionalOnEnabledHealthIndicator("sandboxer")
public final class SandboxerHealthContributorAutoConfiguration {

	/** A local provider answers a ping for free; only remote ones have a rate limit worth sparing. */
	static ProviderHealthCheck check(Sandboxer sandboxer, SandboxerProperties.Health health,
			ProviderRegistry providerRegistry) {
		boolean remote = providerRegistry.find(sandboxer.type()).map(ProviderFactory::remote).orElse(true);
		Duration cacheTimeToLive = remote ? health.getCacheTimeToLive() : Duration.ZERO;
		return new ProviderHealthCheck(sandboxer, health.getTimeout(), cacheTimeToLive, health.isAllowToFail(),
				Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveContributorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "sandboxerHealthIndicator", "sandboxerHealthContributor" })
		CompositeReactiveHealthContributor sandboxerHealthContributor(Sandboxers sandboxers,
				SandboxerProperties properties, ProviderRegistry providerRegistry) {
			return CompositeReactiveHealthContributor.fromMap(sandboxers.all(),
					(sandboxer) -> new SandboxerReactiveHealthIndicator(
							check(sandboxer, properties.getHealth(), providerRegistry)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(NotReactiveWebApplication.class)
	static class BlockingContributorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "sandboxerHealthIndicator", "sandboxerHealthContributor" })
		CompositeHealthContributor sandboxerHealthContributor(Sandboxers sandboxers, SandboxerProperties properties,
				ProviderRegistry providerRegistry) {
			return CompositeHealthContributor.fromMap(sandboxers.all(),
					(sandboxer) -> new SandboxerHealthIndicator(
							check(sandboxer, properties.getHealth(), providerRegistry)));
		}

	}

	static final class NotReactiveWebApplication extends NoneNestedConditions {

		NotReactiveWebApplication() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static final class Reactive {

		}

	}

}
