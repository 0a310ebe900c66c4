package dev.sandboxer.autoconfigure.http;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

import dev.sandboxer.autoconfigure.ProviderConfigCustomizer;
import dev.sandboxer.autoconfigure.SandboxerProperties;
import dev.sandboxer.autoconfigure.SandboxerPropertyException;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.http.VendorHttpCustomizer;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.transport.ProxyProvider;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;

/**
 * Hands every vendor entry an {@link EntryHttpCustomizer} built from its {@code proxy.*} and {@code ssl.bundle}
 * properties, the application's {@link SandboxerHttpClientCustomizer}s and its observation registry. A proxy or
 * bundle on an entry whose provider does not talk HTTP ({@code local}) stops start-up rather than being ignored.
 */
final class HttpProviderConfigCustomizer implements ProviderConfigCustomizer {

	private final ProviderRegistry providerRegistry;

	private final @Nullable SslBundles sslBundles;

	private final List<SandboxerHttpClientCustomizer> customizers;

	private final @Nullable ObservationRegistry observationRegistry;

	private final ClientRequestObservationConvention observationConvention;

	HttpProviderConfigCustomizer(ProviderRegistry providerRegistry, @Nullable SslBundles sslBundles,
			List<SandboxerHttpClientCustomizer> customizers, @Nullable ObservationRegistry observationRegistry,
			ClientRequestObservationConvention observationConvention) {
		this.providerRegistry = providerRegistry;
		this.sslBundles = sslBundles;
		this.customizers = customizers;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
	}

	@Override
	public void customize(String entry, String type, SandboxerProperties.Provider properties,
			ProviderConfig.Builder config) {
		EntryHttpCustomizer.ProxySettings proxy = proxy(entry, properties.getProxy());
		String bundle = properties.getSsl().getBundle();
		if ((proxy != null || bundle != null) && !talksHttp(type)) {
			String property = prefix(entry) + ((proxy != null) ? ".proxy.host" : ".ssl.bundle");
			throw new SandboxerPropertyException(type, property, "'" + property + "' is set, but provider type '"
					+ type + "' does not make HTTP calls through Sandboxer's HTTP client, so it would have no effect");
		}
		SslContext sslContext = (bundle != null) ? sslContext(entry, bundle) : null;
		config.extension(VendorHttpCustomizer.class, new EntryHttpCustomizer(entry, proxy, sslContext,
				this.customizers, this.observationRegistry, this.observationConvention));
	}

	private boolean talksHttp(String type) {
		try {
			return this.providerRegistry.find(ProviderName.of(type)).map(ProviderFactory::remote).orElse(true);
		}
		catch (IllegalArgumentException ex) {
			return true; // not a provider name: building the client says so
		}
	}

	private static EntryHttpCustomizer.@Nullable ProxySettings proxy(String entry, SandboxerProperties.Proxy proxy) {
		String host = proxy.getHost();
		if (host == null || host.isBlank()) {
			return null;
		}
		Integer port = proxy.getPort();
		if (port == null || port < 1 || port > 65535) {
			String property = prefix(entry) + ".proxy.port";
			throw new SandboxerPropertyException(null, property,
					"'" + property + "' must be a port between 1 and 65535 when a proxy host is set, got " + port);
		}
		ProxyProvider.Proxy type = (proxy.getType() == SandboxerProperties.ProxyType.SOCKS5) ? ProxyProvider.Proxy.SOCKS5
				: ProxyProvider.Proxy.HTTP;
		return new EntryHttpCustomizer.ProxySettings(type, host.strip(), port, blankToNull(proxy.getUsername()),
				proxy.getPassword(), nonProxyHostsPattern(proxy.getNonProxyHosts()));
	}

	/** Java's {@code http.nonProxyHosts} syntax ({@code localhost|*.internal}) as the regex Reactor Netty takes. */
	static @Nullable String nonProxyHostsPattern(@Nullable String hosts) {
		if (hosts == null || hosts.isBlank()) {
			return null;
		}
		return Arrays.stream(hosts.split("\\|"))
			.map(String::strip)
			.filter((host) -> !host.isEmpty())
			.map((host) -> Arrays.stream(host.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")))
			.collect(Collectors.joining("|"));
	}

	private SslContext sslContext(String entry, String bundleName) {
		String property = prefix(entry) + ".ssl.bundle";
		if (this.sslBundles == null) {
			throw new SandboxerPropertyException(null, property,
					"'" + property + "' names SSL bundle '" + bundleName + "', but this application has no SSL bundles");
		}
		try {
			SslBundle bundle = this.sslBundles.getBundle(bundleName);
			SslContextBuilder builder = SslContextBuilder.forClient()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory());
			SslOptions options = bundle.getOptions();
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			if (options.getCiphers() != null) {
				builder.ciphers(Arrays.asList(options.getCiphers()));
			}
			return builder.build();
		}
		catch (NoSuchSslBundleException ex) {
			throw new SandboxerPropertyException(null, property, "'" + property + "' names SSL bundle '" + bundleName
					+ "', which is not configured under 'spring.ssl.bundle'");
		}
		catch (SSLException | RuntimeException ex) {
			throw new SandboxerPropertyException(null, property,
					"SSL bundle '" + bundleName + "' of '" + property + "' cannot make a TLS client: " + ex.getMessage());
		}
	}

	private static String prefix(String entry) {
		return "sandboxer.providers." + entry;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
