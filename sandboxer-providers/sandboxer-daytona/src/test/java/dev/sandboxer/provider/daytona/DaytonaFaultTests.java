package dev.sandboxer.provider.daytona;

// Stubs follow daytonaio/daytona at commit b5a5d9e7: the API's error body from
// apps/api/src/filters/all-exceptions.filter.ts ({path, timestamp, statusCode, error, message}), the toolbox's from
// libs/common-go/pkg/errors/middleware.go ({statusCode, message, code, timestamp, path, method}), Sandbox and
// ListSandboxesResponse from libs/api-client-go/api/openapi.yaml. Every fault goes through the public API
// (Sandboxer.builder("daytona")), found through ServiceLoader; each is checked for its typed outcome, never for how
// long it took.

import java.io.InputStream;
import java.time.Duration;
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
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.SandboxInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.daytona.DaytonaStubs.API_KEY;
import static dev.sandboxer.provider.daytona.DaytonaStubs.SANDBOX_ID;
import static dev.sandboxer.provider.daytona.DaytonaStubs.TOOLBOX;
import static dev.sandboxer.provider.daytona.DaytonaStubs.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaFaultTests {

	private static final String SANDBOX_PATH = "/api/sandbox/" + SANDBOX_ID;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final Sandboxer sandboxer = Sandboxer.builder("daytona").config(DaytonaStubs.config(wm).build()).build();

	@AfterEach
	void close() {
		this.sandboxer.close();
	}

	private static String apiError(int status, String reason, String message) {
		return "{\"path\":\"/api/sandbox\",\"timestamp\":\"2026-01-02T03:04:05.000Z\",\"statusCode\":" + status
				+ ",\"error\":\"" + reason + "\",\"message\":\"" + message + "\"}";
	}

	private static void stubInfo(int status, String body) {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(body)));
	}

	private Sandbox attached() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
		return this.sandboxer.attachSandbox(SANDBOX_ID);
	}

	@Test
	void a401IsUnauthorizedAndTheKeyIsNotInTheMessage() {
		stubInfo(401, apiError(401, "Unauthorized", "Invalid API key " + API_KEY));
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID))
			.withMessageContaining("HTTP 401 (Unauthorized)")
			.withMessageNotContaining(API_KEY);
		wm.verify(1, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void a403IsUnauthorized() {
		stubInfo(403, apiError(403, "Forbidden", "Sandbox belongs to another organization"));
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID))
			.withMessageContaining("Sandbox belongs to another organization");
	}

	@Test
	void a404IsNotFound() {
		stubInfo(404, apiError(404, "Not Found", "Sandbox with ID or name " + SANDBOX_ID + " not found"));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID));
	}

	@Test
	void a409CarriesTheApisReasonAsTheCodeAndIsNotRetried() {
		wm.stubFor(post(urlPathEqualTo("/api/sandbox")).willReturn(aResponse().withStatus(409)
			.withHeader("Content-Type", "application/json")
			.withBody(apiError(409, "Conflict", "Sandbox with name x already exists"))));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.sandboxer.createSandbox(CreateSandboxRequest.builder().option("name", "x").build()))
			.withMessageContaining("Sandbox with name x already exists")
			.satisfies((error) -> {
				assertThat(error.status()).hasValue(409);
				assertThat(error.code()).hasValue("Conflict");
			});
		wm.verify(1, postRequestedFor(urlPathEqualTo("/api/sandbox")));
	}

	@Test
	void aToolboxErrorCodeReachesTheException() {
		Sandbox sandbox = attached();
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/session")).willReturn(aResponse().withStatus(409)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"statusCode\":409,\"message\":\"conflict: session already exists\",\"code\":\"CONFLICT\","
					+ "\"timestamp\":\"2026-01-02T03:04:05Z\",\"path\":\"/process/session\",\"method\":\"POST\"}")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> sandbox.startCommand(dev.sandboxer.model.StartCommandRequest.of("sleep 1")))
			.satisfies((error) -> assertThat(error.code()).hasValue("CONFLICT"))
			.withMessageContaining("conflict: session already exists");
	}

	@Test
	void a429WithRetryAfterIsRetriedThenSucceeds() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("open")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
				.withBody(apiError(429, "Too Many Requests", "ThrottlerException: Too Many Requests"))));
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).inScenario("429")
			.whenScenarioStateIs("open")
			.willReturn(okJson("{\"items\":[],\"nextCursor\":null}")));
		assertThat(this.sandboxer.listSandboxes()).isEmpty();
		wm.verify(2, getRequestedFor(urlPathEqualTo("/api/sandbox")));
	}

	@Test
	void a429ThatLastsIsARateLimitWithItsRetryAfter() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).willReturn(aResponse().withStatus(429)
			.withHeader("Retry-After", "1")
			.withBody(apiError(429, "Too Many Requests", "ThrottlerException: Too Many Requests"))));
		assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> this.sandboxer.listSandboxes())
			.satisfies((error) -> assertThat(error.retryAfter()).hasValue(Duration.ofSeconds(1)));
	}

	@Test
	void a500IsAProviderErrorWithTheApisMessage() {
		stubInfo(500, apiError(500, "Internal Server Error", "An unexpected error occurred."));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID))
			.withMessage("daytona attachSandbox failed: HTTP 500 (Internal Server Error): An unexpected error occurred.")
			.satisfies((error) -> assertThat(error.status()).hasValue(500));
	}

	@Test
	void a502And503AreRetriedForReads() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("again")
			.willReturn(aResponse().withStatus(502)));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("flaky")
			.whenScenarioStateIs("again")
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("flaky")
			.whenScenarioStateIs("ok")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
		assertThat(this.sandboxer.attachSandbox(SANDBOX_ID).id()).isEqualTo(SANDBOX_ID);
		wm.verify(3, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void aCreateIsNeverRetried() {
		wm.stubFor(post(urlPathEqualTo("/api/sandbox")).willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.createSandbox())
			.satisfies((error) -> assertThat(error.status()).hasValue(503));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/api/sandbox")));
	}

	@Test
	void aCommandIsNeverRetried() {
		Sandbox sandbox = attached();
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class).isThrownBy(() -> sandbox.runCommand("echo 1"));
		wm.verify(1, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute")));
	}

	@Test
	void aMalformedBodyIsAProviderError() {
		stubInfo(200, "{\"id\": [not json");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID))
			.withMessageContaining("does not match the vendor's documented shape");
	}

	@Test
	void aConnectionResetOnAReadIsRetriedThenAConnectionError() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID))
			.withMessageStartingWith("daytona attachSandbox: connection to GET " + wm.baseUrl() + SANDBOX_PATH);
		wm.verify(3, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void aReplySlowerThanTheTimeoutIsATimeout() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))
			.withFixedDelay(5000)));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(SANDBOX_ID));
	}

	@Test
	void aDownloadCutShortIsAStreamInterruption() throws Exception {
		Sandbox sandbox = attached();
		// WireMock's MALFORMED_RESPONSE_CHUNK: a 200 with its headers, then a broken chunk and a closed connection.
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/download")).willReturn(aResponse()
			.withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		try (InputStream in = sandbox.readFileStream("/big.bin")) {
			assertThatExceptionOfType(Exception.class).isThrownBy(in::readAllBytes)
				.satisfies((error) -> assertThat(cause(error)).isInstanceOfAny(StreamInterruptedException.class,
						ProviderConnectionException.class));
		}
	}

	@Test
	void theAsyncFaceFailsTheFutureWithTheSameTypedError() {
		stubInfo(404, apiError(404, "Not Found", "gone"));
		AsyncSandboxer async = this.sandboxer.async();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> async.attachSandbox(SANDBOX_ID).join())
			.withCauseInstanceOf(NotFoundException.class);
	}

	@Test
	void listFindsSandboxesThisLibraryCreatedByTheirLabels() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).willReturn(okJson("{\"items\":[%s],\"nextCursor\":null}"
			.formatted(sandbox(wm, "sb-1", "started")))));
		assertThat(this.sandboxer.listSandboxes()).extracting(SandboxInfo::metadata)
			.allSatisfy((metadata) -> assertThat(metadata).containsEntry("team", "a"));
	}

	private static Throwable cause(Throwable error) {
		Throwable current = error;
		while (current != null && !(current instanceof dev.sandboxer.error.SandboxerException)) {
			current = current.getCause();
		}
		return (current != null) ? current : error;
	}

}
