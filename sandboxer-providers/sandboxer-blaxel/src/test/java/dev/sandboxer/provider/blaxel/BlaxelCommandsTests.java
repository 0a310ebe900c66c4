package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sandbox at bfecd2e7da6a726d6bbd8c010b511a6f9fc43121: sandbox-api/docs/openapi.yml
// (/process: ProcessRequest, ProcessResponse with pid as a string) and src/handler/process.go (the NDJSON stream of
// POST /process with Accept: text/event-stream: {"type":"stdout|stderr|keepalive|result|error","data":...}, the result
// event carrying the ProcessResponse as a JSON string; /process/{id}/logs/stream ends with the process).

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.ProviderException;
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
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.WORKSPACE;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.await;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlaxelCommandsTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = BlaxelStubs.provider(wm);

	private final ProviderSandbox sandbox = BlaxelStubs.attached(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	static String result(String status, int exitCode, String stdout, String stderr) {
		return new String(new dev.sandboxer.http.JsonCodec().write(java.util.Map.of("pid", "4242", "name", "n",
				"command", "c", "status", status, "exitCode", exitCode, "stdout", stdout, "stderr", stderr,
				"startedAt", "Thu, 01 Jan 2026 12:00:00 GMT", "completedAt", "Thu, 01 Jan 2026 12:00:02 GMT")),
				java.nio.charset.StandardCharsets.UTF_8);
	}

	@Test
	void runCommandStreamsOutputToTheListenerAndTakesTheServersCopyForTheResult() {
		String stream = String.join("\n", event("stdout", "héllo\n"), event("keepalive", ""), event("stderr", "warn\n"),
				event("stdout", "world\n"), event("result", result("completed", 0, "héllo\nworld\n", "warn\n"))) + "\n";
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/x-ndjson")
			.withBody(stream)));
		List<String> heard = new ArrayList<>();
		CommandOutputListener listener = new CommandOutputListener() {
			@Override
			public void onStdout(String text) {
				heard.add("out:" + text);
			}

			@Override
			public void onStderr(String text) {
				heard.add("err:" + text);
			}
		};

		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("echo 'héllo' && ls $HOME")
			.cwd("/work")
			.env("A", "1")
			.timeout(Duration.ofSeconds(90))
			.build(), listener));

		assertThat(result.stdout()).isEqualTo("héllo\nworld\n");
		assertThat(result.stderr()).isEqualTo("warn\n");
		assertThat(result.exitCode()).isZero();
		assertThat(result.timedOut()).isFalse();
		assertThat(heard).containsExactly("out:héllo\n", "err:warn\n", "out:world\n");
		wm.verify(1, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withHeader("Accept", equalTo("text/event-stream"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE))
			.withRequestBody(matchingJsonPath("$.command", equalTo("echo 'héllo' && ls $HOME")))
			.withRequestBody(matchingJsonPath("$.workingDir", equalTo("/work")))
			.withRequestBody(matchingJsonPath("$.env.A", equalTo("1")))
			.withRequestBody(matchingJsonPath("$.timeout", equalTo("90")))
			.withRequestBody(matchingJsonPath("$.name", com.github.tomakehurst.wiremock.client.WireMock
				.matching("sandboxer-[0-9a-f-]{36}"))));
	}

	@Test
	void aTruncatedServerCopyGivesWayToTheStreamedText() {
		String stream = String.join("\n", event("stdout", "line1\n"), event("stdout", "line2\n"),
				event("result", result("failed", 3, BlaxelProcesses.TRUNCATED + "\nline2\n", ""))) + "\n";
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-ndjson")
			.withBody(stream)));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("seq"), CommandOutputListener.NONE));
		assertThat(result.stdout()).isEqualTo("line1\nline2\n");
		assertThat(result.exitCode()).isEqualTo(3);
	}

	@Test
	void aServerThatAnswersWithPlainJsonGivesTheResultAndTheListenerItsOutput() {
		// A sandbox-api that does not stream answers POST /process with the ProcessResponse (openapi.yml).
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson(result("failed", 3, "out\n",
				"err\n"))));
		List<String> heard = new ArrayList<>();
		CommandOutputListener listener = new CommandOutputListener() {
			@Override
			public void onStdout(String text) {
				heard.add("out:" + text);
			}

			@Override
			public void onStderr(String text) {
				heard.add("err:" + text);
			}
		};
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("make"), listener));
		assertThat(result.stdout()).isEqualTo("out\n");
		assertThat(result.stderr()).isEqualTo("err\n");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		assertThat(heard).containsExactly("out:out\n", "err:err\n");
		wm.verify(1, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process")).withHeader("Accept",
				equalTo("text/event-stream")));
	}

	@Test
	void aPlainJsonAnswerForAProcessStillRunningIsFollowedByName() {
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson(result("running", 0, "", ""))));
		wm.stubFor(get(urlMatching(SANDBOX_PATH + "/process/sandboxer-[0-9a-f-]{36}")).willReturn(okJson(
				result("completed", 0, "tail", ""))));
		wm.stubFor(get(urlMatching(SANDBOX_PATH + "/process/sandboxer-[0-9a-f-]{36}/logs")).willReturn(okJson(
				"{\"stdout\":\"all of it\\n\",\"stderr\":\"\",\"logs\":\"\"}")));
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("make"), CommandOutputListener.NONE));
		assertThat(result.stdout()).isEqualTo("all of it\n");
		assertThat(result.exitCode()).isZero();
		String name = new dev.sandboxer.http.JsonCodec().read(wm.findAll(postRequestedFor(
				urlEqualTo(SANDBOX_PATH + "/process"))).get(0).getBody(), java.util.Map.class).get("name").toString();
		wm.verify(getRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/" + name)));
		wm.verify(getRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/" + name + "/logs")));
	}

	@Test
	void anErrorEventIsTheServersMessage() {
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-ndjson")
			.withBody(event("error", "could not execute command 'ls' because folder '/nope' does not exist") + "\n")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.builder("ls").cwd("/nope").build(),
					CommandOutputListener.NONE)))
			.withMessageContaining("folder '/nope' does not exist")
			.satisfies((error) -> assertThat(error.code()).contains("process_error"));
	}

	@Test
	void aCommandPastItsTimeoutIsKilledByNameAndReportedAsTimedOut() {
		// The server streams the first chunk and then nothing for 5 s; the command may run 1 s.
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-ndjson")
			.withChunkedDribbleDelay(2, 5000)
			.withBody(event("stdout", "started\n") + "\n" + event("result", result("completed", 0, "", "")) + "\n")));
		wm.stubFor(delete(urlMatching(SANDBOX_PATH + "/process/sandboxer-[0-9a-f-]{36}/kill"))
			.willReturn(okJson("{\"message\":\"Process killed successfully\"}")));
		CommandResult result = await(this.sandbox.runCommand(
				RunCommandRequest.builder("sleep 100").timeout(Duration.ofSeconds(1)).build(),
				CommandOutputListener.NONE));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		String name = new dev.sandboxer.http.JsonCodec().read(wm.findAll(postRequestedFor(
				urlEqualTo(SANDBOX_PATH + "/process"))).get(0).getBody(), java.util.Map.class).get("name").toString();
		wm.verify(1, deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/" + name + "/kill")));
	}

	@Test
	void killProcessWithAGracePeriodStopsFirstAndKillsOnlyWhatStillRuns() {
		wm.stubFor(delete(urlEqualTo(SANDBOX_PATH + "/process/77")).willReturn(okJson("{\"message\":\"stopped\"}")));
		wm.stubFor(delete(urlEqualTo(SANDBOX_PATH + "/process/77/kill")).willReturn(okJson("{\"message\":\"killed\"}")));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson("[]")));

		await(this.sandbox.killProcess(77, Duration.ofSeconds(5)));

		wm.verify(1, deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/77")));
		wm.verify(0, deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/77/kill")));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(
				okJson("[{\"pid\":\"77\",\"name\":\"x\",\"command\":\"sleep 9\",\"status\":\"running\",\"exitCode\":0}]")));

		await(this.sandbox.killProcess(77, Duration.ofMillis(500)));

		wm.verify(1, deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/77/kill")));
	}

	@Test
	void startCommandReadsTheStringPidAndWaitForHandleFollowsTheProcessByName() {
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson("""
				{"pid":"4242","name":"from-server","command":"make","status":"running","exitCode":0,
				 "startedAt":"Thu, 01 Jan 2026 12:00:00 GMT","workingDir":"/work"}
				""")));
		CommandHandle handle = await(this.sandbox.startCommand(StartCommandRequest.builder("make").cwd("/work").build()));
		assertThat(handle).isEqualTo(new CommandHandle(4242, "from-server"));
		wm.verify(postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.waitForCompletion", equalTo("false")))
			.withRequestBody(matchingJsonPath("$.workingDir", equalTo("/work"))));

		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process/from-server")).inScenario("wait")
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willSetStateTo("done")
			.willReturn(okJson(result("running", 0, "", ""))));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process/from-server/logs/stream")).willReturn(aResponse()
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withBody("stdout:building\n")));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process/from-server")).inScenario("wait")
			.whenScenarioStateIs("done")
			.willReturn(okJson(result("failed", 2, "tail", ""))));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process/from-server/logs")).willReturn(okJson(
				"{\"stdout\":\"building\\nerror\\n\",\"stderr\":\"make: *** [all] Error 2\\n\",\"logs\":\"\"}")));

		CommandResult result = await(this.sandbox.waitForHandle("from-server"));
		assertThat(result.stdout()).isEqualTo("building\nerror\n");
		assertThat(result.stderr()).isEqualTo("make: *** [all] Error 2\n");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.durationMs()).isEqualTo(2000);
	}

	@Test
	void killAndListUseThePidAsAString() {
		wm.stubFor(delete(urlEqualTo(SANDBOX_PATH + "/process/4242/kill")).willReturn(okJson(
				"{\"message\":\"Process killed successfully\"}")));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson("""
				[{"pid":"4242","name":"a","command":"sleep 100","status":"running","exitCode":0},
				 {"pid":"77","name":"b","command":"true","status":"completed","exitCode":0}]
				""")));
		await(this.sandbox.killProcess(4242));
		List<ProcessInfo> processes = await(this.sandbox.listProcesses());
		assertThat(processes).containsExactly(new ProcessInfo(4242, "sleep 100", null));
		wm.verify(1, deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/process/4242/kill")));
	}

	@Test
	void aWriteForAUserIsChownedWithQuotedWords() {
		wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo(SANDBOX_PATH
				+ "/filesystem/%2Fhome%2Fbob%2Fit%27s.txt")).willReturn(okJson("{\"message\":\"ok\"}")));
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson(result("completed", 0, "", ""))));
		await(this.sandbox.writeFile("/home/bob/it's.txt", new byte[] { 1 }, null, "bob"));
		wm.verify(postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo("chown 'bob' '/home/bob/it'\\''s.txt'")))
			.withRequestBody(matchingJsonPath("$.waitForCompletion", equalTo("true"))));
	}

}
