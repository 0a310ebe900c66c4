package dev.sandboxer.autoconfigure.http;

import dev.sandboxer.autoconfigure.ProviderConfigCustomizer;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.spi.ProviderRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the HTTP client of
 * vendor providers: {@code sandboxer.providers.<name>.proxy.*} and {@code .ssl.bundle}, the application's
 * {@link SandboxerHttpClientCustomizer}s, and {@code http.client.requests} observations when an
 * {@link ObservationRegistry} exists. Only when the HTTP toolkit is on the class path.
 */
@AutoConfiguration(before = SandboxerAutoConfiguration.class,
		afterName = { "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(VendorHttpClient.class)
@ConditionalOnBooleanProperty(name = "sandboxer.enabled", matchIfMissing = true)
public final class SandboxerHttpClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SandboxerClientRequestObservationConvention sandboxerClientRequestObservationConvention() {
		return new SandboxerClientRequestObservationConvention();
	}

	@Bean
	ProviderConfigCustomizer sandboxerHttpProviderConfigCustomizer(ObjectProvider<ProviderRegistry> providerRegistry,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<SandboxerHttpClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			SandboxerClientRequestObservationConvention observationConvention) {
		return (entry, type, properties, config) -> new HttpProviderConfigCustomizer(
				providerRegistry.getIfAvailable(ProviderRegistry::empty), sslBundles.getIfAvailable(),
				customizers.orderedStream().toList(), observationRegistry.getIfUnique(), observationConvention)
			.customize(entry, type, properties, config);
	}

}
