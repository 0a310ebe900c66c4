package dev.sandboxer.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.observation.SandboxerObservationConvention;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link Sandboxers} registry from {@code sandboxer.*}: every client at once, so that a bad entry stops
 * start-up instead of failing at its first call.
 */
final class PropertiesSandboxersFactory {

	private static final Logger logger = LoggerFactory.getLogger(PropertiesSandboxersFactory.class);

	private final SandboxerProperties properties;

	private final SandboxerEntries entries;

	private final ProviderRegistry providerRegistry;

	private final ObservationRegistry observationRegistry;

	private final @Nullable SandboxerObservationConvention observationConvention;

	private final Environment environment;

	private final List<ProviderConfigCustomizer> configCustomizers;

	PropertiesSandboxersFactory(SandboxerProperties properties, ProviderRegistry providerRegistry,
			ObservationRegistry observationRegistry, @Nullable SandboxerObservationConvention observationConvention,
			Environment environment, List<ProviderConfigCustomizer> configCustomizers) {
		this.properties = properties;
		this.entries = new SandboxerEntries(properties, environment);
		this.providerRegistry = providerRegistry;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
		this.environment = environment;
		this.configCustomizers = configCustomizers;
	}

	/**
	 * @param beanFactory where an application's own {@code <entry>Sandboxer} bean is taken from
	 * @throws SandboxerPropertyException naming the property to fix; nothing built before the failure stays open
	 */
	Sandboxers create(ConfigurableListableBeanFactory beanFactory) {
		Map<String, Sandboxer> clients = new LinkedHashMap<>();
		Map<String, Sandboxer> builtHere = new LinkedHashMap<>();
		try {
			for (String name : this.entries.entries().keySet()) {
				if (beanFactory instanceof BeanDefinitionRegistry registry
						&& SandboxerBeanRegistrar.isOverridden(beanFactory, registry, name)) {
					clients.put(name, beanFactory.getBean(SandboxerBeanRegistrar.sandboxerBeanName(name),
							Sandboxer.class));
				}
				else {
					Sandboxer sandboxer = build(name);
					builtHere.put(name, sandboxer);
					clients.put(name, sandboxer);
				}
			}
			return Sandboxers.of(clients, this.entries.defaultName());
		}
		catch (RuntimeException ex) {
			Sandboxers.of(builtHere, null).close();
			throw ex;
		}
	}

	private Sandboxer build(String name) {
		long start = System.nanoTime();
		String type = this.entries.type(name);
		try {
			List<ProviderSetting> declared = declaredSettings(type);
			Map<String, String> providerSettings = ProviderEntrySettings.read(this.environment, name, type, declared);
			Sandboxer sandboxer = Sandboxer.builder(type)
				.name(name)
				.config(this.entries.config(name, EnvironmentFallbacks.forEntry(this.entries, name, declared,
						providerSettings, this.environment::getProperty), providerSettings, this.configCustomizers))
				.providerRegistry(this.providerRegistry)
				.observationRegistry(this.observationRegistry)
				.observationConvention(this.observationConvention)
				.closeTimeout(this.properties.getShutdownTimeout())
				.killOwnedOnClose(this.properties.isCleanupOnShutdown())
				.build();
			// Provider construction is most of what the starter adds to start-up; this says which one costs what.
			logger.debug("Sandboxer '{}' ({}) ready in {} ms", name, sandboxer.type(),
					(System.nanoTime() - start) / 1_000_000);
			return sandboxer;
		}
		catch (BadConfigException ex) {
			throw this.entries.translate(name, ex);
		}
	}

	/** The settings the entry's provider declares, against which the entry's own keys are read and checked. */
	private List<ProviderSetting> declaredSettings(String type) {
		try {
			return this.providerRegistry.find(ProviderName.of(type)).map(ProviderFactory::settings).orElse(List.of());
		}
		catch (IllegalArgumentException ex) {
			return List.of(); // not a provider name at all: the registry says so when the client is built
		}
	}

}
