package dev.sandboxer.autoconfigure.health;

import java.time.Duration;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.SandboxerProperties;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the {@code sandboxer}
 * health contributor: one indicator per configured provider. Turned off with
 * {@code management.health.sandboxer.enabled=false}.
 */
@AutoConfiguration(after = SandboxerAutoConfiguration.class)
@ConditionalOnClass({ CompositeHealthContributor.class, Sandboxer.class })
@ConditionalOnBean(Sandboxers.class)
@ConditionalOnEnabledHealthIndicator("sandboxer")
public final class SandboxerHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "sandboxerHealthIndicator", "sandboxerHealthContributor" })
	CompositeHealthContributor sandboxerHealthContributor(Sandboxers sandboxers, SandboxerProperties properties,
			ProviderRegistry providerRegistry) {
		SandboxerProperties.Health health = properties.getHealth();
		return CompositeHealthContributor.fromMap(sandboxers.all(), (sandboxer) -> new SandboxerHealthIndicator(
				sandboxer, health.getTimeout(), cacheTimeToLive(sandboxer, health, providerRegistry)));
	}

	/** A local provider answers a ping for free; only remote ones have a rate limit worth sparing. */
	private static Duration cacheTimeToLive(Sandboxer sandboxer, SandboxerProperties.Health health,
			ProviderRegistry providerRegistry) {
		boolean remote = providerRegistry.find(sandboxer.type()).map(ProviderFactory::remote).orElse(true);
		return remote ? health.getCacheTimeToLive() : Duration.ZERO;
	}

}
