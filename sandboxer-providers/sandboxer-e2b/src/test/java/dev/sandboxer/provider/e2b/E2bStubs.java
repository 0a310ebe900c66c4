package dev.sandboxer.provider.e2b;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.http.Envelopes;
import dev.sandboxer.testing.LogCapture;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixtures for the E2B tests, shaped as the specs of e2b-dev/E2B at commit b8029973 say: control-plane answers per
 * {@code spec/openapi.yml} ({@code Sandbox}, {@code SandboxDetail}, {@code ListedSandbox}), envd per
 * {@code spec/envd/envd.yaml} (version 0.1.3), {@code process.proto} and {@code filesystem.proto} in their proto3
 * JSON mapping, streams as Connect envelopes.
 */
final class E2bStubs {

	static final Duration LIMIT = Duration.ofSeconds(20);

	static final String API_KEY = "e2b_53cr3t0123456789abcdef";

	static final String ACCESS_TOKEN = "envd-token-7f3a9c21";

	static final String SANDBOX_ID = "sbx1abc";

	private E2bStubs() {
	}

	/**
	 * A provider whose control plane and envd are both the WireMock server, with no environment variables. Also
	 * quiets the test server's own logging.
	 */
	static SandboxProvider provider(WireMockExtension wm) {
		LogCapture.quietLibraries();
		return new E2bProviderFactory().create(config(wm).build());
	}

	static ProviderConfig.Builder config(WireMockExtension wm) {
		return ProviderConfig.builder()
			.apiKey(API_KEY)
			.baseUrl(wm.baseUrl())
			.extra("sandbox-url", wm.baseUrl())
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofSeconds(2)))
			.environment((name) -> null);
	}

	/** {@code SandboxDetail} of a running sandbox with the given envd version. */
	static String detail(String envdVersion, String state) {
		return """
				{"templateID":"tpl-base","alias":"base","sandboxID":"%s","clientID":"c1",
				 "startedAt":"2026-01-02T03:04:05.123Z","endAt":"2026-01-02T03:09:05Z",
				 "envdVersion":"%s","envdAccessToken":"%s","domain":null,
				 "cpuCount":2,"memoryMB":512,"diskSizeMB":1024,"metadata":{"team":"a"},"state":"%s"}
				""".formatted(SANDBOX_ID, envdVersion, ACCESS_TOKEN, state);
	}

	/** Stubs {@code GET /sandboxes/{id}} and attaches: the usual way into a sandbox for envd tests. */
	static ProviderSandbox attach(WireMockExtension wm, SandboxProvider provider, String envdVersion) {
		wm.stubFor(get(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)).willReturn(okJson(detail(envdVersion, "running"))));
		return await(provider.attachSandbox(SANDBOX_ID));
	}

	/** Stubs a streaming RPC answer. */
	static void stubStream(WireMockExtension wm, String procedure, byte[]... envelopes) {
		wm.stubFor(post(urlPathEqualTo("/" + procedure)).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.concat(envelopes))));
	}

	/** Stubs a unary RPC answer. */
	static void stubUnary(WireMockExtension wm, String procedure, int status, String json) {
		wm.stubFor(post(urlPathEqualTo("/" + procedure))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json)));
	}

	/** The JSON messages of the one enveloped request sent to a streaming RPC. */
	static String sentEnvelope(WireMockExtension wm, String procedure) {
		List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/" + procedure)));
		assertThat(requests).hasSize(1);
		List<Envelopes.Envelope> envelopes = Envelopes.read(requests.get(0).getBody());
		assertThat(envelopes).hasSize(1);
		assertThat(envelopes.get(0).flags()).isZero();
		return envelopes.get(0).json();
	}

	static String base64(String text) {
		return base64(text.getBytes(StandardCharsets.UTF_8));
	}

	static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	static byte[] start(int pid) {
		return Envelopes.message("{\"event\":{\"start\":{\"pid\":" + pid + "}}}");
	}

	static byte[] stdout(byte[] bytes) {
		return Envelopes.message("{\"event\":{\"data\":{\"stdout\":\"" + base64(bytes) + "\"}}}");
	}

	static byte[] stderr(String text) {
		return Envelopes.message("{\"event\":{\"data\":{\"stderr\":\"" + base64(text) + "\"}}}");
	}

	static byte[] end(String json) {
		return Envelopes.message("{\"event\":{\"end\":" + json + "}}");
	}

	static byte[] endOfStream() {
		return Envelopes.endOfStream("{}");
	}

	/** Waits for a provider future within {@link #LIMIT} and rethrows its failure as the typed error it is. */
	static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new AssertionError(ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("No outcome within " + LIMIT, ex);
		}
	}

}
