package dev.sandboxer.http;

// Stubs follow HTTP semantics (RFC 9110: Retry-After as delay-seconds, section 10.2.3) and the fault modes of
// WireMock 3.13.2 (connection reset by peer, fixed delays, malformed chunks); no vendor spec is involved.

import java.net.URI;
import java.time.Duration;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.buffer.DataBufferUtils;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fault table of the shared HTTP layer against an in-process WireMock. Every call is bounded by
 * {@link #LIMIT}; the assertions are on the typed outcome and the number of requests, never on elapsed time.
 */
class VendorHttpClientTests {

	private static final Duration LIMIT = Duration.ofSeconds(20);

	private static final String KEY = "e2b_test_key_4b1d9c0e77";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final VendorHttpClient client = VendorHttpClient
		.builder("acme", ProviderConfig.builder()
			.defaultTimeout(Duration.ofMillis(800))
			.retry(new RetrySettings(3, Duration.ofMillis(20), Duration.ofSeconds(3)))
			.environment((name) -> null)
			.build())
		.build();

	record Thing(String name, int size) {
	}

	@BeforeAll
	static void quiet() {
		LogCapture.quietLibraries();
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void readsJsonAndSendsTheHeadersAsked() {
		wm.stubFor(get(urlPathEqualTo("/things/1")).willReturn(okJson("{\"name\":\"a\",\"size\":3,\"extra\":true}")));
		Thing thing = this.client.get(uri("/things/1")).secretHeader("X-API-Key", KEY).json(Thing.class).block(LIMIT);
		assertThat(thing).isEqualTo(new Thing("a", 3));
		wm.verify(getRequestedFor(urlPathEqualTo("/things/1")).withHeader("X-API-Key", equalTo(KEY))
			.withHeader("User-Agent", equalTo("sandboxer-java")));
	}

	@Test
	void aGetIsRepeatedOnConnectionResetsThenFailsAsAConnectionError() {
		wm.stubFor(get(urlPathEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> this.client.get(uri("/reset")).operation("info").discard().block(LIMIT))
			.withMessageStartingWith("acme info: connection to GET http://localhost:");
		wm.verify(3, getRequestedFor(urlPathEqualTo("/reset")));
	}

	@Test
	void aGetSucceedsWhenTheConnectionIsResetOnce() {
		wm.stubFor(get(urlPathEqualTo("/flaky")).inScenario("reset")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("healed")
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		wm.stubFor(get(urlPathEqualTo("/flaky")).inScenario("reset")
			.whenScenarioStateIs("healed")
			.willReturn(okJson("{\"name\":\"b\",\"size\":1}")));
		assertThat(this.client.get(uri("/flaky")).json(Thing.class).block(LIMIT)).isEqualTo(new Thing("b", 1));
		wm.verify(2, getRequestedFor(urlPathEqualTo("/flaky")));
	}

	@Test
	void aReplySlowerThanTheTimeoutIsATimeoutAndIsNotRepeated() {
		wm.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(3000)));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> this.client.get(uri("/slow")).operation("info").discard().block(LIMIT))
			.withMessageContaining("no answer");
		wm.verify(1, getRequestedFor(urlPathEqualTo("/slow")));
	}

	@Test
	void aCallTimeoutLongerThanTheDefaultWaitsForASlowReply() {
		wm.stubFor(get(urlPathEqualTo("/long")).willReturn(okJson("{\"name\":\"c\",\"size\":2}").withFixedDelay(1500)));
		Thing thing = this.client.get(uri("/long")).timeout(Duration.ofSeconds(10)).json(Thing.class).block(LIMIT);
		assertThat(thing).isEqualTo(new Thing("c", 2));
	}

	@Test
	void a429WithRetryAfterIsRetriedThenSucceeds() {
		wm.stubFor(get(urlPathEqualTo("/limited")).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("open")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
		wm.stubFor(get(urlPathEqualTo("/limited")).inScenario("429")
			.whenScenarioStateIs("open")
			.willReturn(okJson("{\"name\":\"d\",\"size\":4}")));
		assertThat(this.client.get(uri("/limited")).json(Thing.class).block(LIMIT)).isEqualTo(new Thing("d", 4));
		wm.verify(2, getRequestedFor(urlPathEqualTo("/limited")));
	}

	@Test
	void a429AskingForMoreThanTheCapIsNotWaitedForButReported() {
		wm.stubFor(get(urlPathEqualTo("/later")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));
		assertThatExceptionOfType(RateLimitException.class)
			.isThrownBy(() -> this.client.get(uri("/later")).discard().block(LIMIT))
			.satisfies((error) -> assertThat(error.retryAfter()).contains(Duration.ofSeconds(60)));
		wm.verify(1, getRequestedFor(urlPathEqualTo("/later")));
	}

	@Test
	void a503TwiceThenSuccess() {
		wm.stubFor(get(urlPathEqualTo("/busy")).inScenario("503")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("once")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo("/busy")).inScenario("503")
			.whenScenarioStateIs("once")
			.willSetStateTo("twice")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo("/busy")).inScenario("503")
			.whenScenarioStateIs("twice")
			.willReturn(okJson("{\"name\":\"e\",\"size\":5}")));
		assertThat(this.client.get(uri("/busy")).json(Thing.class).block(LIMIT)).isEqualTo(new Thing("e", 5));
		wm.verify(3, getRequestedFor(urlPathEqualTo("/busy")));
	}

	@Test
	void aPostIsNotRepeatedOn503UnlessMarkedSafe() {
		wm.stubFor(post(urlPathEqualTo("/create")).willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.client.post(uri("/create")).jsonBody(new Thing("x", 1)).discard().block(LIMIT))
			.satisfies((error) -> assertThat(error.status()).contains(503));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/create")));
		wm.resetRequests();
		assertThatExceptionOfType(ProviderException.class).isThrownBy(
				() -> this.client.post(uri("/create")).safeToRepeat().jsonBody(new Thing("x", 1)).discard().block(LIMIT));
		wm.verify(3, postRequestedFor(urlPathEqualTo("/create")));
	}

	@Test
	void a401IsUnauthorizedAndTheKeyAppearsNowhere() {
		wm.stubFor(get(urlPathEqualTo("/private"))
			.willReturn(aResponse().withStatus(401).withBody("{\"message\":\"invalid API key " + KEY + "\"}")));
		try (LogCapture logs = LogCapture.start()) {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(
					() -> this.client.get(uri("/private")).secretHeader("X-API-Key", KEY).discard().block(LIMIT))
				.satisfies((error) -> {
					assertThat(error.getMessage()).contains("invalid API key ****").doesNotContain(KEY);
					assertThat(error.toString()).doesNotContain(KEY);
				});
			assertThat(logs.lines()).isNotEmpty().noneMatch((line) -> line.contains(KEY));
		}
		assertThat(this.client.toString()).doesNotContain(KEY);
	}

	@Test
	void aMalformedJsonBodyIsAProviderError() {
		wm.stubFor(get(urlPathEqualTo("/broken")).willReturn(okJson("{\"name\": \"a\", \"size\": ")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.client.get(uri("/broken")).operation("info").json(Thing.class).block(LIMIT))
			.withMessageContaining("acme info: HTTP 200 with a body that does not match")
			.satisfies((error) -> assertThat(error.status()).contains(200))
			.satisfies((error) -> assertThat(error.getCause()).isNull());
		wm.verify(1, getRequestedFor(urlPathEqualTo("/broken")));
	}

	@Test
	void aStreamedBodyCutByABrokenChunkIsAnInterruptedStream() {
		wm.stubFor(get(urlPathEqualTo("/download")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(() -> this.client
			.get(uri("/download"))
			.operation("readFile")
			.stream()
			.flatMapMany(HttpCall.StreamedAnswer::body)
			.doOnNext(DataBufferUtils::release)
			.then()
			.block(LIMIT)).withMessageContaining("acme readFile");
	}

	private static URI uri(String path) {
		return URI.create(wm.baseUrl() + path);
	}

}
