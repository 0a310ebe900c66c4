package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973 (spec/openapi.yml: Error {code, error_code, message}, 429 for the
// concurrent-sandbox cap as e2b-dev/infra's orchestrator words it; spec/envd/process/process.proto over the Connect
// protocol, connectrpc/connectrpc.com docs/protocol.md at c72686b6). Each fault is checked for its typed outcome
// within E2bStubs.LIMIT, never for how long it took.

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.http.Envelopes;
import dev.sandboxer.testing.LogCapture;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.e2b.E2bStubs.ACCESS_TOKEN;
import static dev.sandboxer.provider.e2b.E2bStubs.API_KEY;
import static dev.sandboxer.provider.e2b.E2bStubs.SANDBOX_ID;
import static dev.sandboxer.provider.e2b.E2bStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class E2bFaultTests {

	private static final String INFO_PATH = "/sandboxes/" + SANDBOX_ID;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void connectionResetOnInfoIsRetriedThenAConnectionError() {
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox(SANDBOX_ID)))
			.withMessageStartingWith("e2b attachSandbox: connection to GET " + wm.baseUrl() + INFO_PATH);
		wm.verify(3, getRequestedFor(urlPathEqualTo(INFO_PATH)));
	}

	@Test
	void aReplySlowerThanTheTimeoutIsATimeout() {
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).willReturn(okJson(E2bStubs.detail("0.5.8", "running"))
			.withFixedDelay(5000)));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox(SANDBOX_ID)));
	}

	@Test
	void a429WithRetryAfterThenSuccess() {
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("open")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
				.withBody("{\"code\":429,\"message\":\"rate limit exceeded\"}")));
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).inScenario("429")
			.whenScenarioStateIs("open")
			.willReturn(okJson("[]")));
		assertThat(await(this.provider.listSandboxes(ListSandboxesFilter.all()))).isEmpty();
		wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/sandboxes")));
	}

	@Test
	void a503TwiceThenSuccess() {
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).inScenario("503")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("again")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).inScenario("503")
			.whenScenarioStateIs("again")
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).inScenario("503")
			.whenScenarioStateIs("ok")
			.willReturn(okJson(E2bStubs.detail("0.5.8", "running"))));
		assertThat(await(this.provider.attachSandbox(SANDBOX_ID)).id()).isEqualTo(SANDBOX_ID);
		wm.verify(3, getRequestedFor(urlPathEqualTo(INFO_PATH)));
	}

	@Test
	void aCreateIsNotRetriedOn503() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(aResponse().withStatus(503)
			.withBody("{\"code\":503,\"error_code\":\"sandbox_capacity_unavailable\",\"message\":\"no capacity\"}")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.satisfies((error) -> {
				assertThat(error.status()).contains(503);
				assertThat(error.code()).contains("sandbox_capacity_unavailable");
			});
		wm.verify(1, postRequestedFor(urlPathEqualTo("/sandboxes")));
	}

	@Test
	void aCreateIsNotRetriedOnAConnectionReset() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/sandboxes")));
	}

	@Test
	void theConcurrencyCapIsAQuotaNotARateLimit() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(aResponse().withStatus(429)
			.withBody("{\"code\":429,\"message\":\"you have reached the maximum number of concurrent E2B sandboxes "
					+ "(20). If you need more, please visit 'https://e2b.dev/docs/billing'\"}")));
		assertThatExceptionOfType(QuotaExceededException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessageContaining("maximum number of concurrent E2B sandboxes (20)");
		wm.verify(1, postRequestedFor(urlPathEqualTo("/sandboxes")));
	}

	@Test
	void a401IsUnauthorized() {
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(401)
			.withBody("{\"code\":401,\"message\":\"Invalid API key\"}")));
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox(SANDBOX_ID)))
			.withMessage("e2b attachSandbox failed: HTTP 401: Invalid API key");
	}

	@Test
	void aMalformedJsonBodyIsAProviderError() {
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).willReturn(okJson("{\"sandboxID\": \"sbx1abc\", \"templateID\": ")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox(SANDBOX_ID)))
			.withMessageContaining("does not match the vendor's documented shape");
	}

	@Test
	void aStreamCutBeforeItsEndFrameIsInterrupted() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		E2bStubs.stubStream(wm, "process.Process/Start", E2bStubs.start(4));
		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> await(sandbox.runCommand(RunCommandRequest.of("ls"), CommandOutputListener.NONE)))
			.withMessageContaining("without its end-of-stream message");
	}

	@Test
	void anErrorEndFrameIsTyped() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		E2bStubs.stubStream(wm, "process.Process/Start",
				Envelopes.endOfStream("{\"error\":{\"code\":\"unauthenticated\",\"message\":\"invalid access token\"}}"));
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> await(sandbox.runCommand(RunCommandRequest.of("ls"), CommandOutputListener.NONE)));
	}

	@Test
	void aCommandTimeoutLongerThanTheDefaultIsNotCutByIt() {
		// The default timeout is 2 s; the reply takes 3 s, within the command's own 60 s.
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/process.Process/Start")).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.concat(E2bStubs.start(4), E2bStubs.end("{\"exited\":true}"), E2bStubs.endOfStream()))
			.withFixedDelay(3000)));
		CommandResult result = await(sandbox.runCommand(
				RunCommandRequest.builder("sleep 3").timeout(Duration.ofSeconds(60)).build(), CommandOutputListener.NONE));
		assertThat(result.isSuccess()).isTrue();
	}

	@Test
	void secretsAppearInNoMessageToStringOrLogLine() {
		// The access token is learned at attach; from then on an answer that echoes it is masked too.
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(get(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(403)
			.withBody("{\"message\":\"key " + API_KEY + " may not read sandbox; token " + ACCESS_TOKEN + "\"}")));
		wm.stubFor(delete(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(500)
			.withBody("internal error for X-API-Key: " + API_KEY)));
		ProviderConfig config = E2bStubs.config(wm).build();
		try (LogCapture logs = LogCapture.start()) {
			SandboxerException info = catchTyped(() -> await(sandbox.info()));
			SandboxerException kill = catchTyped(() -> await(this.provider.killSandbox(SANDBOX_ID)));
			for (SandboxerException error : new SandboxerException[] { info, kill }) {
				assertThat(error.getMessage()).doesNotContain(API_KEY).doesNotContain(ACCESS_TOKEN).contains("****");
				assertThat(error.toString()).doesNotContain(API_KEY);
			}
			assertThat(logs.lines()).isNotEmpty()
				.noneMatch((line) -> line.contains(API_KEY) || line.contains(ACCESS_TOKEN));
		}
		assertThat(this.provider.toString()).doesNotContain(API_KEY);
		assertThat(config.toString()).doesNotContain(API_KEY);
	}

	@Test
	void theProviderIsFoundThroughTheServiceLoaderAndWorksThroughThePublicFace() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(okJson("""
				{"templateID":"base","sandboxID":"sbx1abc","clientID":"c","envdVersion":"0.5.8",
				 "envdAccessToken":"envd-token-7f3a9c21"}
				""").withStatus(201)));
		E2bStubs.stubStream(wm, "process.Process/Start", E2bStubs.start(9),
				E2bStubs.stdout("hello\n".getBytes(StandardCharsets.UTF_8)),
				E2bStubs.end("{\"exited\":true}"), E2bStubs.endOfStream());
		wm.stubFor(delete(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(204)));
		try (Sandboxer sandboxer = Sandboxer.create("e2b", E2bStubs.config(wm).build())) {
			try (Sandbox sandbox = sandboxer.createSandbox()) {
				assertThat(sandbox.runCommand("echo hello").stdout()).isEqualTo("hello\n");
			}
		}
		wm.verify(1, deleteRequestedFor(urlPathEqualTo(INFO_PATH)));
	}

	private static SandboxerException catchTyped(Runnable call) {
		try {
			call.run();
		}
		catch (SandboxerException ex) {
			return ex;
		}
		throw new AssertionError("Expected a typed failure");
	}

}
