package dev.sandboxer.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customizer hook: handed over in the {@link ProviderConfig}, applied to both the Reactor Netty client and the
 * WebClient, and every request tagged with a low-cardinality operation name.
 */
class VendorHttpCustomizerTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().dynamicHttpsPort())
		.build();

	@Test
	void customizerFromTheConfigShouldChangeBothClientsAndSeeTheOperation() {
		wm.stubFor(get(urlPathEqualTo("/sandboxes/sb-123")).willReturn(okJson("{}")));
		List<Object> operations = new CopyOnWriteArrayList<>();
		VendorHttpCustomizer customizer = new VendorHttpCustomizer() {

			@Override
			public HttpClient customize(HttpClient httpClient) {
				return httpClient.headers((headers) -> headers.add("X-From-Netty", "yes"));
			}

			@Override
			public void customize(WebClient.Builder webClient) {
				webClient.filter((request, next) -> {
					operations.add(request.attribute(VendorHttpClient.OPERATION_ATTRIBUTE).orElse("none"));
					return next.exchange(request);
				});
			}

		};
		ProviderConfig config = ProviderConfig.builder()
			.environment((name) -> null)
			.extension(VendorHttpCustomizer.class, customizer)
			.build();
		try (VendorHttpClient client = VendorHttpClient.builder("acme", config).build()) {
			URI uri = URI.create("http://localhost:" + wm.getPort() + "/sandboxes/sb-123");
			client.get(uri).operation("info").discard().block(Duration.ofSeconds(20));
			client.get(uri).discard().block(Duration.ofSeconds(20));
		}
		wm.verify(2, getRequestedFor(urlPathEqualTo("/sandboxes/sb-123")).withHeader("X-From-Netty", equalTo("yes")));
		// A call without a name is known by its method alone: its path holds a sandbox id.
		assertThat(operations).containsExactly("info", "GET");
	}

	/** Reactor Netty's HTTPS needs QUIC's Java classes even with HTTP/3 left out; this failed without them. */
	@Test
	void httpsShouldWorkWithTheTrustTheCustomizerGives() {
		wm.stubFor(get(urlPathEqualTo("/secure")).willReturn(okJson("{}")));
		VendorHttpCustomizer trustWireMock = new VendorHttpCustomizer() {

			@Override
			public HttpClient customize(HttpClient httpClient) {
				return httpClient.secure((spec) -> spec.sslContext(Http11SslContextSpec.forClient()
					.configure((builder) -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
			}

		};
		ProviderConfig config = ProviderConfig.builder().environment((name) -> null).build();
		try (VendorHttpClient client = VendorHttpClient.builder("acme", config).customizer(trustWireMock).build()) {
			client.get(URI.create("https://localhost:" + wm.getHttpsPort() + "/secure"))
				.operation("secure")
				.discard()
				.block(Duration.ofSeconds(20));
		}
		wm.verify(1, getRequestedFor(urlPathEqualTo("/secure")));
	}

}
