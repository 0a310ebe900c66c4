package dev.sandboxer.http;

import reactor.netty.http.client.HttpClient;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Changes the HTTP client of one provider instance while {@link VendorHttpClient} builds it: a proxy or TLS trust on
 * the Reactor Netty {@link HttpClient}, an observation registry or filters on the {@link WebClient.Builder}.
 * <p>
 * A framework hands one to every provider through {@link dev.sandboxer.config.ProviderConfig.Builder#extension}
 * under this type; the Spring Boot starter does so for each entry. Both methods run once, before the client exists.
 * The client's own pool, timeouts and retry choice are set first; a customizer that changes them takes the blame.
 */
public interface VendorHttpCustomizer {

	/** @return the client to use: Reactor Netty's clients are immutable, so return the changed copy */
	default HttpClient customize(HttpClient httpClient) {
		return httpClient;
	}

	default void customize(WebClient.Builder webClient) {
	}

}
