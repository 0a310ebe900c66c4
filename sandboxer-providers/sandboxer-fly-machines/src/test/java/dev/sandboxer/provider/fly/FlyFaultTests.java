package dev.sandboxer.provider.fly;

// Stubs follow superfly/docs api/machines/openapi.json at commit 462dcb9037e57d4c21a336289db3e0b9378d15ab
// (ErrorResponse {error, status: main.statusCode}) and superfly/fly-go at 22d6e518f42d50a81b4485da918741563354b3d3
// (flaps/flaps.go handleAPIError: a "message" field wins over "error"). Every fault goes through the public API
// (Sandboxer built with Sandboxer.builder("fly-machines")) and is checked for its typed outcome, never for how long
// it took.

import java.time.Duration;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import static dev.sandboxer.provider.fly.FlyStubs.EXEC;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINES;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE_ID;
import static dev.sandboxer.provider.fly.FlyStubs.TOKEN;
import static dev.sandboxer.provider.fly.FlyStubs.execAnswer;
import static dev.sandboxer.provider.fly.FlyStubs.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FlyFaultTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private Sandboxer sandboxer;

	@BeforeEach
	void build() {
		LogCapture.quietLibraries();
		this.sandboxer = Sandboxer.builder("fly-machines").config(FlyStubs.config(wm).build()).build();
	}

	@AfterEach
	void close() {
		this.sandboxer.close();
	}

	private Sandbox attached() {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("started"))));
		return this.sandboxer.attachSandbox(MACHINE_ID);
	}

	private static void infoAnswers(int status, String body) {
		wm.stubFor(get(urlPathEqualTo(MACHINE))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
	}

	@ParameterizedTest
	@ValueSource(ints = { 401, 403 })
	void aRefusedTokenIsUnauthorizedAndNeverShown(int status) {
		// The vendor echoes the token back: the message must still not carry it.
		infoAnswers(status, "{\"error\":\"token " + TOKEN + " is not allowed for app sbx-app\"}");
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.withMessageContaining("HTTP " + status)
			.withMessageContaining("is not allowed for app sbx-app")
			.withMessageNotContaining(TOKEN);
	}

	@Test
	void anUnknownMachineIsNotFound() {
		infoAnswers(404, "{\"error\":\"machine not found\"}");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.withMessageContaining("machine not found");
	}

	@Test
	void aConflictCarriesTheVendorsMessage() {
		wm.stubFor(delete(urlPathEqualTo(MACHINE)).willReturn(aResponse().withStatus(409)
			.withBody("{\"error\":\"unable to destroy machine, not currently stopped\",\"status\":\"unknown\"}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.killSandbox(MACHINE_ID))
			.withMessageContaining("not currently stopped")
			.satisfies((error) -> {
				assertThat(error.status()).contains(409);
				// "unknown" says nothing and is not passed on as a code.
				assertThat(error.code()).isEmpty();
			});
	}

	@Test
	void aRateLimitedReadIsRetriedAfterRetryAfterAndThenReported() {
		wm.stubFor(get(urlPathEqualTo(MACHINES)).willReturn(aResponse().withStatus(429)
			.withHeader("Retry-After", "1")
			.withBody("{\"error\":\"rate limit exceeded\"}")));
		assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> this.sandboxer.listSandboxes())
			.withMessageContaining("rate limit exceeded")
			.satisfies((error) -> assertThat(error.retryAfter()).contains(Duration.ofSeconds(1)));
		wm.verify(3, getRequestedFor(urlPathEqualTo(MACHINES)));
	}

	@Test
	void aCreateIsNeverRetried() {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(aResponse().withStatus(429)
			.withHeader("Retry-After", "1")
			.withBody("{\"error\":\"rate limit exceeded\"}")));
		assertThatExceptionOfType(RateLimitException.class)
			.isThrownBy(() -> this.sandboxer.createSandbox(CreateSandboxRequest.builder().build()));
		wm.verify(1, postRequestedFor(urlEqualTo(MACHINES)));
	}

	@Test
	void aServerErrorCarriesTheVendorsCodeAndMessage() {
		infoAnswers(500, "{\"error\":\"no capacity in region ams\",\"status\":\"insufficient_capacity\"}");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.withMessageContaining("no capacity in region ams")
			.satisfies((error) -> {
				assertThat(error.status()).contains(500);
				assertThat(error.code()).contains("insufficient_capacity");
			});
		wm.verify(1, getRequestedFor(urlPathEqualTo(MACHINE)));
	}

	@Test
	void aMessageFieldWinsOverError() {
		infoAnswers(500, "{\"error\":\"internal\",\"message\":\"flyd unreachable on host\"}");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.withMessageContaining("flyd unreachable on host");
	}

	@ParameterizedTest
	@ValueSource(ints = { 502, 503 })
	void aGatewayErrorOnAReadIsRetriedThenReported(int status) {
		infoAnswers(status, "<html>bad gateway</html>");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.satisfies((error) -> assertThat(error.status()).contains(status));
		wm.verify(3, getRequestedFor(urlPathEqualTo(MACHINE)));
	}

	@Test
	void aGatewayErrorOnACommandIsNotRetried() {
		Sandbox sandbox = attached();
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"busy\"}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> sandbox.runCommand("touch /tmp/once"))
			.satisfies((error) -> assertThat(error.status()).contains(503));
		wm.verify(1, postRequestedFor(urlEqualTo(EXEC)));
	}

	@Test
	void aMalformedBodyIsAProviderError() {
		infoAnswers(200, "{\"id\": \"3d8d9e1b2c4e78\", \"state\": [unclosed");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
			.withMessageContaining("does not match the vendor's documented shape");
	}

	@Test
	void aConnectionResetOnAReadIsRetriedThenAConnectionError() {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID));
		wm.verify(3, getRequestedFor(urlPathEqualTo(MACHINE)));
	}

	@Test
	void aConnectionResetOnACommandIsNotRetried() {
		Sandbox sandbox = attached();
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ProviderConnectionException.class)
			.isThrownBy(() -> sandbox.runCommand("echo once"));
		wm.verify(1, postRequestedFor(urlEqualTo(EXEC)));
	}

	@Test
	void aReplySlowerThanTheTimeoutIsATimeout() {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("started")).withFixedDelay(5000)));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID));
	}

	@Test
	void aCommandsOwnTimeoutExtendsItsHttpTimeout() {
		Sandbox sandbox = attached();
		// Slower than the 2 s default timeout, well within the command's 10 s.
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(0, "slow\n", "")).withFixedDelay(3000)));
		CommandResult result = sandbox
			.runCommand(RunCommandRequest.builder("sleep 3; echo slow").timeout(Duration.ofSeconds(10)).build());
		assertThat(result.stdout()).isEqualTo("slow\n");
		assertThat(result.timedOut()).isFalse();
	}

	@Test
	void anAnswerCutShortIsATypedFailureAndACommandIsNotRepeated() {
		Sandbox sandbox = attached();
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		assertThatExceptionOfType(SandboxerException.class).isThrownBy(() -> sandbox.runCommand("echo once"));
		wm.verify(1, postRequestedFor(urlEqualTo(EXEC)));
	}

	@Test
	void theTokenNeverReachesALogLineOrAMessage() {
		try (LogCapture logs = LogCapture.start()) {
			infoAnswers(500, "{\"error\":\"bad header Authorization: Bearer " + TOKEN + "\"}");
			assertThatExceptionOfType(ProviderException.class)
				.isThrownBy(() -> this.sandboxer.attachSandbox(MACHINE_ID))
				.withMessageNotContaining(TOKEN)
				.withMessageContaining("****");
			assertThat(logs.lines()).isNotEmpty().noneMatch((line) -> line.contains(TOKEN));
		}
		assertThat(FlyStubs.config(wm).build().toString()).doesNotContain(TOKEN);
		assertThat(FlyStubs.provider(wm).toString()).doesNotContain(TOKEN);
	}

}
