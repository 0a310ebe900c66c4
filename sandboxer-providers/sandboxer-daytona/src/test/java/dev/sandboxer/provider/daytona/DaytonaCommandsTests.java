package dev.sandboxer.provider.daytona;

// Stubs follow daytonaio/daytona at commit b5a5d9e7: apps/daemon/pkg/toolbox/docs/swagger.yaml for POST
// /process/execute (ExecuteRequest {command, cwd, envs, timeout} -> ExecuteResponse {exitCode, result}), the session
// routes (POST /process/session {sessionId} -> 201, POST .../exec {command, runAsync} -> 202 {cmdId}, GET
// /process/session[/{id}] -> Session {sessionId, commands: [{id, command, exitCode?}]}, GET .../command/{id}/logs,
// DELETE /process/session/{id} -> 204); apps/daemon/pkg/toolbox/process/execute.go for the 408 at the timeout
// ({code: REQUEST_TIMEOUT} from libs/common-go/pkg/errors); apps/daemon/pkg/session/common.go and
// libs/common-go/pkg/log/read_multiplex_log.go for the raw log with 01 01 01 / 02 02 02 markers.

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.daytona.DaytonaStubs.API_KEY;
import static dev.sandboxer.provider.daytona.DaytonaStubs.TOOLBOX;
import static dev.sandboxer.provider.daytona.DaytonaStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaCommandsTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = DaytonaStubs.provider(wm);

	private final ProviderSandbox sandbox = DaytonaStubs.attach(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void runCommandSendsCwdEnvsAndTimeoutAndReadsTheMergedResultAsStdout() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.willReturn(okJson("{\"exitCode\":3,\"result\":\"out and err \\u00e9\\n\"}")));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("echo $GREETING; exit 3")
			.cwd("/home/daytona/a b")
			.env("GREETING", "hi")
			.timeout(Duration.ofMillis(1500))
			.build(), CommandOutputListener.NONE));
		assertThat(result.stdout()).isEqualTo("out and err \u00e9\n");
		assertThat(result.stderr()).isEmpty();
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Daytona-Source", equalTo("sandboxer-java"))
			.withRequestBody(equalToJson("""
					{"command":"echo $GREETING; exit 3","cwd":"/home/daytona/a b","envs":{"GREETING":"hi"},"timeout":2}
					""")));
	}

	@Test
	void runCommandWithoutOptionsSendsTheCommandAlone() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute")).willReturn(okJson("{\"exitCode\":0,\"result\":\"\"}")));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("true"), CommandOutputListener.NONE));
		assertThat(result.isSuccess()).isTrue();
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withRequestBody(equalToJson("{\"command\":\"true\"}")));
	}

	@Test
	void theToolboxs408AtTheTimeoutIsATimedOutResult() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute")).willReturn(aResponse().withStatus(408)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"statusCode\":408,\"message\":\"command execution timeout\",\"code\":\"REQUEST_TIMEOUT\","
					+ "\"timestamp\":\"2026-01-02T03:04:05Z\",\"path\":\"/process/execute\",\"method\":\"POST\"}")));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("sleep 60")
			.timeout(Duration.ofSeconds(1))
			.build(), CommandOutputListener.NONE));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.error()).contains("REQUEST_TIMEOUT").contains("command execution timeout");
		wm.verify(1, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute")));
	}

	@Test
	void aCommandsTimeoutExtendsTheWaitBeyondTheDefaultTimeout() {
		// The default timeout is 2 s; the command may run 3 s, so a reply after 2.5 s is still awaited.
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.willReturn(okJson("{\"exitCode\":0,\"result\":\"done\"}").withFixedDelay(2500)));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("sleep 2")
			.timeout(Duration.ofSeconds(3))
			.build(), CommandOutputListener.NONE));
		assertThat(result.stdout()).isEqualTo("done");
	}

	@Test
	void withoutItsOwnTimeoutACommandIsCutAtTheDefaultTimeoutAndNotRepeated() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.willReturn(okJson("{\"exitCode\":0,\"result\":\"late\"}").withFixedDelay(4000)));
		assertThatExceptionOfType(ProviderTimeoutException.class).isThrownBy(() -> await(
				this.sandbox.runCommand(RunCommandRequest.of("sleep 3"), CommandOutputListener.NONE)));
		wm.verify(1, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute")));
	}

	@Test
	void startCommandRunsTheCommandAsyncInASessionOfItsOwn() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/session")).willReturn(aResponse().withStatus(201)));
		wm.stubFor(post(urlPathMatching(TOOLBOX + "/process/session/sandboxer-[0-9]+/exec"))
			.willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
				.withBody("{\"cmdId\":\"c-1\"}")));
		CommandHandle handle = await(this.sandbox.startCommand(StartCommandRequest.builder("python3 -m http.server")
			.cwd("/srv/it's")
			.env("PORT", "8000 $(x)")
			.build()));
		assertThat(handle.pid()).isPositive();
		assertThat(handle.handleId()).isEqualTo("sandboxer-" + handle.pid());
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/session"))
			.withRequestBody(equalToJson("{\"sessionId\":\"sandboxer-" + handle.pid() + "\"}")));
		String script = "(\ncd -- '/srv/it'\"'\"'s' || exit 1\nexport 'PORT=8000 $(x)'\n#sandboxer:command\n"
				+ "python3 -m http.server\n)";
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/session/sandboxer-" + handle.pid() + "/exec"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withRequestBody(equalToJson("{\"command\":" + json(script) + ",\"runAsync\":true}")));
	}

	@Test
	void aFailedExecDeletesTheSessionItMade() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/session")).willReturn(aResponse().withStatus(201)));
		wm.stubFor(post(urlPathMatching(TOOLBOX + "/process/session/sandboxer-[0-9]+/exec"))
			.willReturn(aResponse().withStatus(400)));
		wm.stubFor(delete(urlPathMatching(TOOLBOX + "/process/session/sandboxer-[0-9]+")).willReturn(aResponse()
			.withStatus(204)));
		assertThatExceptionOfType(dev.sandboxer.error.ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.startCommand(StartCommandRequest.of("x"))));
		wm.verify(1, deleteRequestedFor(urlPathMatching(TOOLBOX + "/process/session/sandboxer-[0-9]+")));
	}

	@Test
	void waitForHandlePollsUntilTheExitCodeThenSplitsTheLog() {
		String session = TOOLBOX + "/process/session/sandboxer-42";
		wm.stubFor(get(urlPathEqualTo(session)).inScenario("run")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("done")
			.willReturn(okJson("{\"sessionId\":\"sandboxer-42\",\"commands\":[{\"id\":\"c-1\",\"command\":\"x\"}]}")));
		wm.stubFor(get(urlPathEqualTo(session)).inScenario("run")
			.whenScenarioStateIs("done")
			.willReturn(okJson("{\"sessionId\":\"sandboxer-42\",\"commands\":[{\"id\":\"c-1\",\"command\":\"x\","
					+ "\"exitCode\":7}]}")));
		byte[] log = log("\u0001\u0001\u0001out \u00e9\n", "\u0002\u0002\u0002err\n", "\u0001\u0001\u0001more\n");
		wm.stubFor(get(urlPathEqualTo(session + "/command/c-1/logs")).willReturn(aResponse()
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withBody(log)));
		CommandResult result = await(this.sandbox.waitForHandle("sandboxer-42"));
		assertThat(result.stdout()).isEqualTo("out \u00e9\nmore\n");
		assertThat(result.stderr()).isEqualTo("err\n");
		assertThat(result.exitCode()).isEqualTo(7);
		wm.verify(2, getRequestedFor(urlPathEqualTo(session)));
		wm.verify(getRequestedFor(urlPathEqualTo(session + "/command/c-1/logs"))
			.withHeader("X-Daytona-Split-Output", equalTo("true"))
			.withHeader("X-Daytona-SDK-Version", absent())
			.withQueryParam("follow", absent()));
	}

	@Test
	void waitingForAnUnknownHandleIsNotFound() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/process/session/nope")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"statusCode\":404,\"message\":\"not found: session not found\",\"code\":\"NOT_FOUND\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.waitForHandle("nope")))
			.withMessage("daytona waitForHandle failed: HTTP 404 (NOT_FOUND): not found: session not found");
	}

	@Test
	void killProcessDeletesItsSession() {
		wm.stubFor(delete(urlPathEqualTo(TOOLBOX + "/process/session/sandboxer-42")).willReturn(aResponse()
			.withStatus(204)));
		await(this.sandbox.killProcess(42));
		wm.verify(deleteRequestedFor(urlPathEqualTo(TOOLBOX + "/process/session/sandboxer-42")));
	}

	@Test
	void listProcessesShowsTheRunningCommandsOfOurSessions() {
		String script = ShellWords.script("sleep 100", null, java.util.Map.of(), null);
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/process/session")).willReturn(okJson("""
				[{"sessionId":"sandboxer-42","commands":[{"id":"c-1","command":%s}]},
				 {"sessionId":"sandboxer-43","commands":[{"id":"c-2","command":"true","exitCode":0}]},
				 {"sessionId":"someone-else","commands":[{"id":"c-3","command":"top"}]}]
				""".formatted(json(script)))));
		assertThat(await(this.sandbox.listProcesses())).containsExactly(new ProcessInfo(42, "sleep 100", null));
	}

	private static String json(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				default -> quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	private static byte[] log(String... pieces) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (String piece : pieces) {
			out.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
		}
		return out.toByteArray();
	}

}
