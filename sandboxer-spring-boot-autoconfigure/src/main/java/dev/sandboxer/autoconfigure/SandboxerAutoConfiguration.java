package dev.sandboxer.autoconfigure;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.observation.SandboxerObservationConvention;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for Sandboxer: one
 * {@link Sandboxer} and one {@link dev.sandboxer.AsyncSandboxer} per entry of {@code sandboxer.providers} (a single
 * {@code local} when there is none), held by a {@link Sandboxers} registry.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(Sandboxer.class)
@ConditionalOnBooleanProperty(name = "sandboxer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SandboxerProperties.class)
@Import(SandboxerBeanRegistrar.class)
public final class SandboxerAutoConfiguration {

	/** The provider types: those on the class path, plus any {@link ProviderFactory} bean. */
	@Bean
	@ConditionalOnMissingBean
	ProviderRegistry sandboxerProviderRegistry(ResourceLoader resourceLoader,
			ObjectProvider<ProviderFactory> factories) {
		ClassLoader classLoader = resourceLoader.getClassLoader();
		ProviderRegistry registry = ProviderRegistry
			.load((classLoader != null) ? classLoader : Sandboxer.class.getClassLoader());
		factories.orderedStream().forEach(registry::register);
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	Sandboxers sandboxers(SandboxerProperties properties, ProviderRegistry providerRegistry,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<SandboxerObservationConvention> observationConvention, Environment environment,
			ObjectProvider<ProviderConfigCustomizer> configCustomizers, ConfigurableListableBeanFactory beanFactory) {
		return new PropertiesSandboxersFactory(properties, providerRegistry,
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique(),
				environment, configCustomizers.orderedStream().toList())
			.create(beanFactory);
	}

}
