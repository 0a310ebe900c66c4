package dev.sandboxer.autoconfigure.http;

import java.util.List;

import dev.sandboxer.http.VendorHttpCustomizer;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What the starter changes in one entry's HTTP client: its proxy, its TLS context from an SSL bundle, the
 * application's customizers, and its observations.
 */
final class EntryHttpCustomizer implements VendorHttpCustomizer {

	private final String entry;

	private final @Nullable ProxySettings proxy;

	private final @Nullable SslContext sslContext;

	private final List<SandboxerHttpClientCustomizer> customizers;

	private final @Nullable ObservationRegistry observationRegistry;

	private final ClientRequestObservationConvention observationConvention;

	EntryHttpCustomizer(String entry, @Nullable ProxySettings proxy, @Nullable SslContext sslContext,
			List<SandboxerHttpClientCustomizer> customizers, @Nullable ObservationRegistry observationRegistry,
			ClientRequestObservationConvention observationConvention) {
		this.entry = entry;
		this.proxy = proxy;
		this.sslContext = sslContext;
		this.customizers = List.copyOf(customizers);
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
	}

	@Override
	public HttpClient customize(HttpClient httpClient) {
		HttpClient client = httpClient;
		ProxySettings proxy = this.proxy;
		if (proxy != null) {
			client = client.proxy((spec) -> proxy.applyTo(spec));
		}
		SslContext sslContext = this.sslContext;
		if (sslContext != null) {
			client = client.secure((spec) -> spec.sslContext(sslContext));
		}
		for (SandboxerHttpClientCustomizer customizer : this.customizers) {
			client = customizer.customize(this.entry, client);
		}
		return client;
	}

	@Override
	public void customize(WebClient.Builder webClient) {
		webClient.defaultRequest(
				(request) -> request.attribute(SandboxerClientRequestObservationConvention.ENTRY_ATTRIBUTE, this.entry));
		if (this.observationRegistry != null) {
			webClient.observationRegistry(this.observationRegistry).observationConvention(this.observationConvention);
		}
	}

	/** A proxy as configured; the password stays out of {@link #toString()}. */
	record ProxySettings(ProxyProvider.Proxy type, String host, int port, @Nullable String username,
			@Nullable String password, @Nullable String nonProxyHostsPattern) {

		void applyTo(ProxyProvider.TypeSpec spec) {
			ProxyProvider.Builder builder = spec.type(this.type).host(this.host).port(this.port);
			if (this.username != null) {
				String password = this.password;
				builder.username(this.username).password((user) -> password);
			}
			if (this.nonProxyHostsPattern != null) {
				builder.nonProxyHosts(this.nonProxyHostsPattern);
			}
		}

		@Override
		public String toString() {
			return "ProxySettings[" + this.type + " " + this.host + ":" + this.port
					+ ((this.username != null) ? ", user " + this.username + ", password ****" : "") + "]";
		}

	}

}
