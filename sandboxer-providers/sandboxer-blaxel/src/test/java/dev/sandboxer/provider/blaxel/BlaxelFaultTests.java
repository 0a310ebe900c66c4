package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sdk-typescript at bc44c2710d06faf12313fd4782c1d65146338b0d (@blaxel/core/src/client/
// types.gen.ts: _Error {code, error, message}, SandboxError {code, message} for create) and blaxel-ai/sandbox at
// bfecd2e7da6a726d6bbd8c010b511a6f9fc43121 (sandbox-api ErrorResponse {error}; the NDJSON process stream). Every
// fault goes through the public faces (Sandboxer / AsyncSandboxer) and is checked for its typed outcome within
// BlaxelStubs.LIMIT, never for how long it took.

import java.util.concurrent.CompletionException;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.NAME;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlaxelFaultTests {

	private static final String INFO = "/v0/sandboxes/" + NAME;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static Sandboxer sandboxer() {
		return Sandboxer.create("blaxel", BlaxelStubs.config(wm).build());
	}

	private static void stubError(int status, String body) {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(body)));
	}

	@Test
	void a401IsUnauthorizedWithTheVendorsMessage() {
		stubError(401, "{\"code\":401,\"error\":\"unauthorized\",\"message\":\"invalid api key\"}");
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.withMessageContaining("invalid api key");
		}
	}

	@Test
	void a403IsUnauthorized() {
		stubError(403, "{\"code\":403,\"error\":\"forbidden\",\"message\":\"not a member of workspace acme\"}");
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.withMessageContaining("not a member of workspace acme");
		}
	}

	@Test
	void a404IsNotFound() {
		stubError(404, "{\"code\":404,\"error\":\"not_found\",\"message\":\"sandbox not found\"}");
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.withMessageContaining("sandbox not found");
		}
	}

	@Test
	void a409OnCreateCarriesTheVendorsCodeAndIsNotRetried() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(aResponse().withStatus(409)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"code\":\"SANDBOX_ALREADY_EXISTS\",\"message\":\"sandbox taken already exists\","
					+ "\"sandbox_name\":\"taken\"}")));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(ProviderException.class)
				.isThrownBy(() -> sandboxer.createSandbox(CreateSandboxRequest.builder().option("name", "taken").build()))
				.withMessageContaining("sandbox taken already exists")
				.satisfies((error) -> {
					assertThat(error.status()).contains(409);
					assertThat(error.code()).contains("SANDBOX_ALREADY_EXISTS");
				});
		}
		wm.verify(1, postRequestedFor(urlEqualTo("/v0/sandboxes")));
	}

	@Test
	void aQuotaCodeIsAQuota() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(aResponse().withStatus(403)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"sandbox quota reached\"}")));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(QuotaExceededException.class).isThrownBy(sandboxer::createSandbox)
				.withMessageContaining("sandbox quota reached");
		}
	}

	@Test
	void a429WithRetryAfterIsWaitedForThenSucceeds() {
		wm.stubFor(get(urlEqualTo(INFO)).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("open")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
				.withBody("{\"code\":429,\"error\":\"too_many_requests\"}")));
		wm.stubFor(get(urlEqualTo(INFO)).inScenario("429")
			.whenScenarioStateIs("open")
			.willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThat(sandboxer.attachSandbox(NAME).id()).isEqualTo(NAME);
		}
		wm.verify(2, getRequestedFor(urlEqualTo(INFO)));
	}

	@Test
	void a429ThatLastsIsARateLimitWithItsRetryAfter() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
			.withBody("{\"code\":429,\"error\":\"too_many_requests\"}")));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.satisfies((error) -> assertThat(error.retryAfter()).contains(java.time.Duration.ofSeconds(30)));
		}
	}

	@Test
	void a500IsAProviderErrorAndIsNotRetried() {
		stubError(500, "{\"code\":500,\"error\":\"internal\",\"message\":\"database unavailable\"}");
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.satisfies((error) -> {
					assertThat(error.status()).contains(500);
					assertThat(error.code()).contains("internal");
					assertThat(error.getMessage()).contains("database unavailable");
				});
		}
		wm.verify(1, getRequestedFor(urlEqualTo(INFO)));
	}

	@Test
	void a502ThenA503AreRetriedThenSucceed() {
		wm.stubFor(get(urlEqualTo(INFO)).inScenario("gw")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("503")
			.willReturn(aResponse().withStatus(502)));
		wm.stubFor(get(urlEqualTo(INFO)).inScenario("gw")
			.whenScenarioStateIs("503")
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlEqualTo(INFO)).inScenario("gw")
			.whenScenarioStateIs("ok")
			.willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThat(sandboxer.attachSandbox(NAME).id()).isEqualTo(NAME);
		}
		wm.verify(3, getRequestedFor(urlEqualTo(INFO)));
	}

	@Test
	void aMalformedBodyIsAProviderError() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(okJson("{\"metadata\": {\"name\": ")));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.withMessageContaining("does not match the vendor's documented shape");
		}
	}

	@Test
	void aConnectionResetIsRetriedThenAConnectionErrorButACreateIsNeverRetried() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		try (Sandboxer sandboxer = sandboxer()) {
			assertThatExceptionOfType(ProviderConnectionException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME));
			assertThatExceptionOfType(ProviderConnectionException.class).isThrownBy(sandboxer::createSandbox);
		}
		wm.verify(3, getRequestedFor(urlEqualTo(INFO)));
		wm.verify(1, postRequestedFor(urlEqualTo("/v0/sandboxes")));
	}

	@Test
	void aReplySlowerThanTheTimeoutIsATimeoutOnTheAsyncFace() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))
			.withFixedDelay(5000)));
		try (AsyncSandboxer sandboxer = AsyncSandboxer.create("blaxel", BlaxelStubs.config(wm).build())) {
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> sandboxer.attachSandbox(NAME).join())
				.withCauseInstanceOf(ProviderTimeoutException.class);
		}
	}

	@Test
	void aCommandStreamCutBeforeItsResultIsInterruptedAndTheCommandIsNotResent() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))));
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-ndjson")
			.withBody(event("stdout", "partial\n") + "\n")));
		try (Sandboxer sandboxer = sandboxer()) {
			Sandbox sandbox = sandboxer.attachSandbox(NAME);
			assertThatExceptionOfType(StreamInterruptedException.class)
				.isThrownBy(() -> sandbox.runCommand("make"))
				.withMessageContaining("ended before its result");
		}
		wm.verify(1, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process")));
	}

	@Test
	void aCommandStreamResetMidwayIsAConnectionFailureNotARetry() {
		wm.stubFor(get(urlEqualTo(INFO)).willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))));
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		try (Sandboxer sandboxer = sandboxer()) {
			Sandbox sandbox = sandboxer.attachSandbox(NAME);
			assertThatExceptionOfType(SandboxerException.class).isThrownBy(() -> sandbox.runCommand("make"))
				.isInstanceOfAny(StreamInterruptedException.class, ProviderConnectionException.class);
		}
		wm.verify(1, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process")));
	}

	@Test
	void theSecretAppearsInNoMessageToStringOrConfig() {
		stubError(403, "{\"code\":403,\"error\":\"forbidden\",\"message\":\"bad token Bearer " + API_KEY + "\"}");
		dev.sandboxer.config.ProviderConfig config = BlaxelStubs.config(wm).build();
		try (Sandboxer sandboxer = Sandboxer.create("blaxel", config)) {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> sandboxer.attachSandbox(NAME))
				.satisfies((error) -> {
					assertThat(error.getMessage()).doesNotContain(API_KEY).contains("****");
					assertThat(error.toString()).doesNotContain(API_KEY);
				});
			assertThat(sandboxer.toString()).doesNotContain(API_KEY);
		}
		assertThat(config.toString()).doesNotContain(API_KEY);
		assertThat(BlaxelStubs.provider(wm).toString()).doesNotContain(API_KEY);
	}

	@Test
	void theProviderIsFoundThroughTheServiceLoaderAndWorksEndToEnd() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(okJson(BlaxelStubs.sandbox(wm, "DEPLOYED", "RUNNING"))));
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-ndjson")
			.withBody(event("stdout", "hello\n") + "\n" + event("result", BlaxelCommandsTests.result("completed", 0,
					"hello\n", "")) + "\n")));
		wm.stubFor(delete(urlPathEqualTo(INFO)).willReturn(okJson(BlaxelStubs.sandbox(wm, "DELETING", "RUNNING"))));
		try (Sandboxer sandboxer = sandboxer()) {
			try (Sandbox sandbox = sandboxer.createSandbox()) {
				assertThat(sandbox.runCommand(RunCommandRequest.of("echo hello")).stdout()).isEqualTo("hello\n");
			}
		}
		wm.verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlEqualTo(INFO)));
	}

}
