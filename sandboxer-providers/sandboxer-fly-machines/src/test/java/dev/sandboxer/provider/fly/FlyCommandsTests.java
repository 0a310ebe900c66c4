package dev.sandboxer.provider.fly;

// Stubs follow superfly/docs api/machines/openapi.json at commit 462dcb9037e57d4c21a336289db3e0b9378d15ab
// (Machines_exec: MachineExecRequest {command (argv), timeout (seconds), stdin}; flydv1.ExecResponse {exit_code,
// exit_signal, stdout, stderr}; Machines_list_processes: ProcessStat[]) and superfly/fly-go at
// 22d6e518f42d50a81b4485da918741563354b3d3 (MachineExecResponse omits a zero exit_code).

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.fly.FlyStubs.EXEC;
import static dev.sandboxer.provider.fly.FlyStubs.JSON;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE;
import static dev.sandboxer.provider.fly.FlyStubs.TOKEN;
import static dev.sandboxer.provider.fly.FlyStubs.await;
import static dev.sandboxer.provider.fly.FlyStubs.execAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FlyCommandsTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = FlyStubs.provider(wm);

	private ProviderSandbox sandbox;

	@BeforeEach
	void attach() {
		this.sandbox = FlyStubs.attach(wm, this.provider);
	}

	@AfterEach
	void close() {
		this.provider.close();
	}

	private static JsonNode onlyExec() {
		List<com.github.tomakehurst.wiremock.verification.LoggedRequest> execs = wm
			.findAll(postRequestedFor(urlEqualTo(EXEC)));
		assertThat(execs).hasSize(1);
		assertThat(execs.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
		return JSON.readTree(execs.get(0).getBodyAsString());
	}

	private static List<String> argv(JsonNode body) {
		List<String> argv = new ArrayList<>();
		body.get("command").forEach((word) -> argv.add(word.asString()));
		return argv;
	}

	@Test
	void runCommandSendsAnArgvWithTheCommandAsAnArgumentAndMapsTheAnswer() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(3, "out ✓\n", "warn\n"))));
		List<String> heard = new ArrayList<>();
		CommandResult result = await(this.sandbox.runCommand(
				RunCommandRequest.builder("echo \"$GREETING\" > '/tmp/a b'; exit 3")
					.cwd("/srv/app")
					.env("GREETING", "it's $(not run)")
					.timeout(Duration.ofSeconds(30))
					.build(),
				new CommandOutputListener() {
					@Override
					public void onStdout(String chunk) {
						heard.add(chunk);
					}
				}));
		assertThat(result.stdout()).isEqualTo("out ✓\n");
		assertThat(result.stderr()).isEqualTo("warn\n");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		assertThat(heard).containsExactly("out ✓\n");
		JsonNode body = onlyExec();
		assertThat(argv(body)).containsExactly("/bin/sh", "-c", GuestCommands.RUN, "sh", "/srv/app", "30",
				"echo \"$GREETING\" > '/tmp/a b'; exit 3", "GREETING=it's $(not run)");
		// The machine's own backstop comes 5 s after the command's timeout; no deprecated cmd string.
		assertThat(body.get("timeout").asInt()).isEqualTo(35);
		assertThat(body.has("cmd")).isFalse();
		assertThat(body.has("stdin")).isFalse();
	}

	@Test
	void aMissingExitCodeMeansZeroAndNoTimeoutUsesTheDefault() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson("{\"stdout\":\"hi\\n\",\"stderr\":\"\"}")));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("echo hi"), CommandOutputListener.NONE));
		assertThat(result.isSuccess()).isTrue();
		JsonNode body = onlyExec();
		assertThat(argv(body)).containsExactly("/bin/sh", "-c", GuestCommands.RUN, "sh", "", "", "echo hi");
		assertThat(body.get("timeout").asInt()).isEqualTo(2);
	}

	@Test
	void anotherUserRunsThroughSuWithStrictlyQuotedArguments() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(0, "", ""))));
		await(this.sandbox.runCommand(RunCommandRequest.builder("echo 'hi'").user("app").build(),
				CommandOutputListener.NONE));
		List<String> argv = argv(onlyExec());
		assertThat(argv).hasSize(6);
		assertThat(argv.subList(0, 4)).containsExactly("su", "-s", "/bin/sh", "-c");
		assertThat(argv.get(4)).isEqualTo("set -- '' '' 'echo '\\''hi'\\'''\n" + GuestCommands.RUN);
		assertThat(argv.get(5)).isEqualTo("app");
	}

	@Test
	void aUserOrEnvironmentNameThatIsShellSyntaxIsRefusedBeforeAnyCall() {
		assertThatExceptionOfType(BadConfigException.class).isThrownBy(() -> await(this.sandbox
			.runCommand(RunCommandRequest.builder("id").user("-c reboot").build(), CommandOutputListener.NONE)));
		assertThatExceptionOfType(BadConfigException.class).isThrownBy(() -> await(this.sandbox.runCommand(
				RunCommandRequest.builder("id").env("A;reboot", "1").build(), CommandOutputListener.NONE)));
		wm.verify(0, postRequestedFor(urlEqualTo(EXEC)));
	}

	@Test
	void aCommandKilledAtItsTimeoutIsReportedAsTimedOut() {
		// The delay only makes the stub's answer come after the command's timeout, as a real kill would.
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(137, "partial", "")).withFixedDelay(1200)));
		CommandResult result = await(this.sandbox.runCommand(
				RunCommandRequest.builder("sleep 100").timeout(Duration.ofSeconds(1)).build(),
				CommandOutputListener.NONE));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.stdout()).isEqualTo("partial");
	}

	@Test
	void startCommandRunsTheSupervisorDetachedAndReturnsThePid() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(0, "4242\n", ""))));
		CommandHandle handle = await(this.sandbox
			.startCommand(StartCommandRequest.builder("python -m http.server").cwd("/srv").env("PORT", "8000").build()));
		assertThat(handle.pid()).isEqualTo(4242);
		assertThat(handle.handleId()).matches("[0-9a-f]{32}");
		assertThat(argv(onlyExec())).containsExactly("/bin/sh", "-c", GuestCommands.START, "sh",
				GuestCommands.JOBS, handle.handleId(), "/srv", "python -m http.server", GuestCommands.SUPERVISOR,
				"PORT=8000");
	}

	@Test
	void aStartThatPrintsNoPidFails() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(90, "", "mkdir: File exists"))));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.startCommand(StartCommandRequest.of("true"))))
			.withMessageContaining("mkdir: File exists");
	}

	@Test
	void waitForHandleAsksAgainUntilTheCommandEnded() {
		String handle = "0123456789abcdef0123456789abcdef";
		String out = Base64.getEncoder().encodeToString("done ✓\n".getBytes(StandardCharsets.UTF_8));
		String err = Base64.getEncoder().encodeToString("careful\n".getBytes(StandardCharsets.UTF_8));
		wm.stubFor(post(urlEqualTo(EXEC)).inScenario("wait")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(execAnswer(75, "", "")))
			.willSetStateTo("ended"));
		wm.stubFor(post(urlEqualTo(EXEC)).inScenario("wait")
			.whenScenarioStateIs("ended")
			.willReturn(okJson(execAnswer(0, "7 1000 1012\n" + out + "\n" + err + "\n", ""))));
		CommandResult result = await(this.sandbox.waitForHandle(handle));
		assertThat(result.exitCode()).isEqualTo(7);
		assertThat(result.stdout()).isEqualTo("done ✓\n");
		assertThat(result.stderr()).isEqualTo("careful\n");
		assertThat(result.durationMs()).isEqualTo(12_000);
		wm.verify(2, postRequestedFor(urlEqualTo(EXEC))
			.withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestCommands.WAIT)))
			.withRequestBody(matchingJsonPath("$.command[4]", equalTo(GuestCommands.JOBS + "/" + handle)))
			.withRequestBody(matchingJsonPath("$.command[5]", equalTo("25")))
			.withRequestBody(matchingJsonPath("$.timeout", equalTo("30"))));
	}

	@Test
	void anUnknownHandleIsNotFound() {
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.waitForHandle("../../etc")));
		wm.verify(0, postRequestedFor(urlEqualTo(EXEC)));
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(44, "", ""))));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.waitForHandle("0123456789abcdef0123456789abcdef")));
	}

	@Test
	void killProcessSignalsThePidAndAMissingOneIsNotFound() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(0, "", ""))));
		await(this.sandbox.killProcess(4242));
		assertThat(argv(onlyExec())).containsExactly("/bin/sh", "-c", GuestCommands.KILL, "sh", "4242");
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(44, "", ""))));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.killProcess(4243)));
	}

	@Test
	void listProcessesReadsThePsEndpoint() {
		wm.stubFor(get(urlEqualTo(MACHINE + "/ps")).willReturn(okJson("""
				[{"pid":1,"command":"/bin/sh -c k=/tmp/.sandboxer","directory":"/","cpu":0,"rss":1024,"rtime":1,
				  "stime":2,"listen_sockets":[]},
				 {"pid":713,"command":"python -m http.server","directory":"/srv",
				  "listen_sockets":[{"proto":"tcp","address":"0.0.0.0:8000"}]}]
				""")));
		List<ProcessInfo> processes = await(this.sandbox.listProcesses());
		assertThat(processes).containsExactly(new ProcessInfo(1, "/bin/sh -c k=/tmp/.sandboxer", null),
				new ProcessInfo(713, "python -m http.server", null));
		wm.verify(getRequestedFor(urlEqualTo(MACHINE + "/ps")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
		wm.verify(0, postRequestedFor(urlEqualTo(EXEC)));
	}

}
