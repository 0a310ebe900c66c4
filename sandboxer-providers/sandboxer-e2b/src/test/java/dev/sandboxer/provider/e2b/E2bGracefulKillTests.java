package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973: spec/envd/process/process.proto (SendSignal with SIGNAL_SIGTERM and
// SIGNAL_SIGKILL, List), unary Connect calls as application/json.

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.e2b.E2bStubs.await;

/** {@code killProcess(pid, grace)} on E2B: SIGTERM, envd's list until the pid is gone, SIGKILL only if it stays. */
class E2bGracefulKillTests {

	private static final String SIGTERM = "{\"process\":{\"pid\":12},\"signal\":\"SIGNAL_SIGTERM\"}";

	private static final String SIGKILL = "{\"process\":{\"pid\":12},\"signal\":\"SIGNAL_SIGKILL\"}";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	private final ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void aProcessThatEndsOnSigtermIsNotSentSigkill() {
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 200, "{}");
		E2bStubs.stubUnary(wm, "process.Process/List", 200, "{\"processes\":[{\"config\":{\"cmd\":\"x\"},\"pid\":30}]}");

		await(this.sandbox.killProcess(12, Duration.ofSeconds(5)));

		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal")).withRequestBody(equalToJson(SIGTERM)));
		wm.verify(exactly(0),
				postRequestedFor(urlPathEqualTo("/process.Process/SendSignal")).withRequestBody(equalToJson(SIGKILL)));
	}

	@Test
	void aProcessStillListedAfterTheGraceIsSentSigkill() {
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 200, "{}");
		E2bStubs.stubUnary(wm, "process.Process/List", 200, "{\"processes\":[{\"config\":{\"cmd\":\"x\"},\"pid\":12}]}");

		await(this.sandbox.killPty(12, Duration.ofMillis(500)));

		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal")).withRequestBody(equalToJson(SIGTERM)));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal")).withRequestBody(equalToJson(SIGKILL)));
	}

}
