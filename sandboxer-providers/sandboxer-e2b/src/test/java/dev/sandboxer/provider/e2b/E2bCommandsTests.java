package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973: spec/envd/process/process.proto (service process.Process: Start,
// Connect, List, SendSignal, SendInput, Update) in the proto3 JSON mapping, served over the Connect protocol
// (connectrpc/connectrpc.com docs/protocol.md at c72686b6): streams enveloped as application/connect+json, unary as
// application/json. Headers as the official JS SDK sends them (packages/js-sdk/src/sandbox/index.ts,
// src/envd/rpc.ts, src/sandbox/commands/index.ts): X-Access-Token, E2b-Sandbox-Id, E2b-Sandbox-Port,
// Authorization: Basic base64("<user>:"), Keepalive-Ping-Interval, Connect-Timeout-Ms.

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.http.Envelopes;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.e2b.E2bStubs.ACCESS_TOKEN;
import static dev.sandboxer.provider.e2b.E2bStubs.SANDBOX_ID;
import static dev.sandboxer.provider.e2b.E2bStubs.await;
import static dev.sandboxer.provider.e2b.E2bStubs.end;
import static dev.sandboxer.provider.e2b.E2bStubs.endOfStream;
import static dev.sandboxer.provider.e2b.E2bStubs.start;
import static dev.sandboxer.provider.e2b.E2bStubs.stderr;
import static dev.sandboxer.provider.e2b.E2bStubs.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class E2bCommandsTests {

	private static final String START = "process.Process/Start";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	private final ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void runCommandStreamsStartWithEverySettingAndDecodesTheOutput() {
		byte[] text = "héllo wörld ✓\n".getBytes(StandardCharsets.UTF_8);
		// The stream is cut inside "é" and inside "✓": the decoder must join the halves.
		E2bStubs.stubStream(wm, START, start(42), stdout(Arrays.copyOfRange(text, 0, 2)),
				stdout(Arrays.copyOfRange(text, 2, 15)), Envelopes.message("{\"event\":{\"keepalive\":{}}}"),
				stderr("warn\n"), stdout(Arrays.copyOfRange(text, 15, text.length)),
				end("{\"exitCode\":3,\"exited\":true,\"status\":\"exit status 3\"}"), endOfStream());
		List<String> chunks = new CopyOnWriteArrayList<>();
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("echo hi")
			.cwd("/tmp")
			.env("A", "1")
			.user("alice")
			.timeout(Duration.ofSeconds(5))
			.build(), new CommandOutputListener() {
				@Override
				public void onStdout(String chunk) {
					chunks.add(chunk);
				}
			}));
		assertThat(result.stdout()).isEqualTo("héllo wörld ✓\n");
		assertThat(result.stderr()).isEqualTo("warn\n");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		assertThat(chunks).containsExactly("h", "éllo wörld ", "✓\n");
		wm.verify(postRequestedFor(urlPathEqualTo("/" + START))
			.withHeader("Content-Type", equalTo("application/connect+json"))
			.withHeader("Connect-Protocol-Version", equalTo("1"))
			.withHeader("Connect-Timeout-Ms", equalTo("5000"))
			.withHeader("X-Access-Token", equalTo(ACCESS_TOKEN))
			.withHeader("E2b-Sandbox-Id", equalTo(SANDBOX_ID))
			.withHeader("E2b-Sandbox-Port", equalTo("49983"))
			.withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString("alice:".getBytes())))
			.withHeader("Keepalive-Ping-Interval", matching("[1-9][0-9]*")));
		assertThat(E2bStubs.sentEnvelope(wm, START)).matches(java.util.regex.Pattern.quote(
				"{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"echo hi\"],\"envs\":{\"A\":\"1\"},"
						+ "\"cwd\":\"/tmp\"},\"tag\":\"sandboxer-run-")
				+ "[0-9a-f-]{36}" + java.util.regex.Pattern.quote("\",\"stdin\":false}"));
	}

	@Test
	void anEndWithoutExitCodeIsZeroAndNoUserMeansTheSandboxDefault() {
		E2bStubs.stubStream(wm, START, start(7), end("{\"exited\":true,\"status\":\"exit status 0\"}"), endOfStream());
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.of("true"), CommandOutputListener.NONE));
		assertThat(result.isSuccess()).isTrue();
		assertThat(result.error()).isNull();
		wm.verify(postRequestedFor(urlPathEqualTo("/" + START)).withHeader("Authorization", absent())
			.withHeader("Connect-Timeout-Ms", absent()));
	}

	@Test
	void aCommandPastItsTimeoutGivesATimedOutResultWithItsOutput() {
		E2bStubs.stubStream(wm, START, start(42), stdout("partial".getBytes(StandardCharsets.UTF_8)),
				Envelopes.endOfStream("{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"context deadline exceeded\"}}"));
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 200, "{}");
		CommandResult result = await(this.sandbox.runCommand(
				RunCommandRequest.builder("sleep 100").timeout(Duration.ofSeconds(1)).build(), CommandOutputListener.NONE));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.stdout()).isEqualTo("partial");
		assertThat(result.error()).contains("timeout of PT1S");
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal"))
			.withRequestBody(equalToJson("{\"process\":{\"pid\":42},\"signal\":\"SIGNAL_SIGKILL\"}")));
	}

	@Test
	void anErrorEndFrameIsTheTypedError() {
		E2bStubs.stubStream(wm, START,
				Envelopes.endOfStream("{\"error\":{\"code\":\"invalid_argument\",\"message\":\"cwd does not exist\"}}"));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.of("ls"), CommandOutputListener.NONE)))
			.withMessageContaining("runCommand")
			.withMessageContaining("cwd does not exist")
			.satisfies((error) -> assertThat(error.code()).contains("invalid_argument"));
	}

	@Test
	void aStreamCutBeforeItsEndIsInterrupted() {
		E2bStubs.stubStream(wm, START, start(42), stdout("some".getBytes(StandardCharsets.UTF_8)));
		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.of("yes"), CommandOutputListener.NONE)))
			.withMessageContaining("after 2 message(s)");
	}

	@Test
	void aSandboxThatIsGoneIsNotFoundFromEnvdToo() {
		wm.stubFor(post(urlPathEqualTo("/" + START)).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"sandboxId\":\"" + SANDBOX_ID + "\",\"message\":\"The sandbox was not found\"}")));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.of("ls"), CommandOutputListener.NONE)))
			.withMessageContaining("sandbox " + SANDBOX_ID + " is gone");
	}

	@Test
	void startCommandReturnsTheRealPidAndATagToWaitOn() {
		E2bStubs.stubStream(wm, START, start(77), stdout("done\n".getBytes(StandardCharsets.UTF_8)),
				end("{\"exitCode\":0,\"exited\":true}"), endOfStream());
		CommandHandle handle = await(
				this.sandbox.startCommand(StartCommandRequest.builder("make build").env("CI", "1").build()));
		assertThat(handle.pid()).isEqualTo(77);
		assertThat(handle.handleId()).startsWith("sandboxer-");
		assertThat(E2bStubs.sentEnvelope(wm, START)).isEqualTo("{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\","
				+ "\"-c\",\"make build\"],\"envs\":{\"CI\":\"1\"}},\"tag\":\"" + handle.handleId() + "\",\"stdin\":false}");
		CommandResult result = await(this.sandbox.waitForHandle(handle.handleId()));
		assertThat(result.stdout()).isEqualTo("done\n");
		assertThat(result.exitCode()).isZero();
		wm.verify(0, postRequestedFor(urlPathEqualTo("/process.Process/Connect")));
	}

	@Test
	void waitForAHandleWhoseStartStreamWasCutAttachesWithConnect() {
		// The Start stream breaks after the start event: the command may still run, so the wait attaches by tag.
		E2bStubs.stubStream(wm, START, start(77), stdout("first".getBytes(StandardCharsets.UTF_8)));
		E2bStubs.stubStream(wm, "process.Process/Connect", start(77), stdout("rest".getBytes(StandardCharsets.UTF_8)),
				end("{\"exitCode\":0,\"exited\":true}"), endOfStream());
		CommandHandle handle = await(this.sandbox.startCommand(StartCommandRequest.of("long job")));
		CommandResult result = await(this.sandbox.waitForHandle(handle.handleId()));
		assertThat(result.stdout()).isEqualTo("rest");
		assertThat(E2bStubs.sentEnvelope(wm, "process.Process/Connect"))
			.isEqualTo("{\"process\":{\"tag\":\"" + handle.handleId() + "\"}}");
	}

	@Test
	void waitForAHandleFromAnotherClientConnectsByTag() {
		E2bStubs.stubStream(wm, "process.Process/Connect", start(91), stdout("late output".getBytes(StandardCharsets.UTF_8)),
				end("{\"exitCode\":1,\"exited\":true}"), endOfStream());
		CommandResult result = await(this.sandbox.waitForHandle("sandboxer-from-elsewhere"));
		assertThat(result.stdout()).isEqualTo("late output");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(E2bStubs.sentEnvelope(wm, "process.Process/Connect"))
			.isEqualTo("{\"process\":{\"tag\":\"sandboxer-from-elsewhere\"}}");
	}

	@Test
	void waitingForAHandleEnvdNoLongerKnowsIsNotFound() {
		wm.stubFor(post(urlPathEqualTo("/process.Process/Connect")).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.endOfStream("{\"error\":{\"code\":\"not_found\",\"message\":\"process not found\"}}"))));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.waitForHandle("sandboxer-ended")))
			.withMessageContaining("no running command with handle sandboxer-ended");
	}

	@Test
	void killProcessSendsSigkillAndListProcessesUsesList() {
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 200, "{}");
		E2bStubs.stubUnary(wm, "process.Process/List", 200, """
				{"processes":[{"config":{"cmd":"/bin/bash","args":["-l","-c","sleep 9"],"envs":{}},"pid":12,
				 "tag":"sandboxer-x"},{"config":{"cmd":"python3","args":["app.py"]},"pid":30}]}
				""");
		await(this.sandbox.killProcess(12));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withHeader("Connect-Protocol-Version", equalTo("1"))
			.withHeader("X-Access-Token", equalTo(ACCESS_TOKEN))
			.withRequestBody(equalToJson("{\"process\":{\"pid\":12},\"signal\":\"SIGNAL_SIGKILL\"}")));
		List<ProcessInfo> processes = await(this.sandbox.listProcesses());
		assertThat(processes).containsExactly(new ProcessInfo(12, "/bin/bash -l -c sleep 9", null),
				new ProcessInfo(30, "python3 app.py", null));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/List")).withRequestBody(equalToJson("{}")));
	}

	@Test
	void killingAProcessEnvdDoesNotKnowIsNotFound() {
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 404,
				"{\"code\":\"not_found\",\"message\":\"process with pid 5 not found\"}");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.killProcess(5)))
			.withMessageContaining("process with pid 5 not found");
	}

	@Test
	void aTerminalStreamsItsBytesAndIsDrivenByUpdateSendInputAndSendSignal() {
		byte[] screen = { 0x1b, '[', '3', '2', 'm', '$', ' ', (byte) 0xC3 };
		E2bStubs.stubStream(wm, START, start(55),
				Envelopes.message("{\"event\":{\"data\":{\"pty\":\"" + E2bStubs.base64(screen) + "\"}}}"),
				end("{\"exitCode\":0,\"exited\":true}"), endOfStream());
		E2bStubs.stubUnary(wm, "process.Process/Update", 200, "{}");
		E2bStubs.stubUnary(wm, "process.Process/SendInput", 200, "{}");
		E2bStubs.stubUnary(wm, "process.Process/SendSignal", 200, "{}");
		List<byte[]> output = new CopyOnWriteArrayList<>();
		List<Integer> exits = new ArrayList<>();
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().size(30, 100).cwd("/work").build(),
				new PtyListener() {
					@Override
					public void onOutput(byte[] data) {
						output.add(data);
					}

					@Override
					public void onExit(int exitCode) {
						exits.add(exitCode);
					}
				}));
		assertThat(pty).isEqualTo(new PtyInfo(55, 30, 100));
		String sent = E2bStubs.sentEnvelope(wm, START);
		assertThat(sent).startsWith("{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-i\",\"-l\"],\"envs\":{"
				+ "\"TERM\":\"xterm-256color\",\"LANG\":\"C.UTF-8\",\"LC_ALL\":\"C.UTF-8\"},\"cwd\":\"/work\"},"
				+ "\"pty\":{\"size\":{\"cols\":100,\"rows\":30}},\"tag\":\"sandboxer-pty-30x100-");
		Awaitility.await().atMost(E2bStubs.LIMIT).until(() -> !exits.isEmpty());
		assertThat(output).singleElement().isEqualTo(screen);
		assertThat(exits).containsExactly(0);

		await(this.sandbox.resizePty(55, 40, 120));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/Update")).withRequestBody(
				equalToJson("{\"process\":{\"pid\":55},\"pty\":{\"size\":{\"cols\":120,\"rows\":40}}}")));
		await(this.sandbox.sendPtyInput(55, "ls\n".getBytes(StandardCharsets.UTF_8)));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendInput")).withRequestBody(equalToJson(
				"{\"process\":{\"pid\":55},\"input\":{\"pty\":\"" + E2bStubs.base64("ls\n") + "\"}}")));
		await(this.sandbox.killPty(55));
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/SendSignal"))
			.withRequestBody(equalToJson("{\"process\":{\"pid\":55},\"signal\":\"SIGNAL_SIGKILL\"}")));
	}

	@Test
	void listPtyListsTheTaggedTerminals() {
		E2bStubs.stubUnary(wm, "process.Process/List", 200, """
				{"processes":[{"config":{"cmd":"/bin/bash","args":["-i","-l"]},"pid":55,"tag":"sandboxer-pty-24x80-u1"},
				 {"config":{"cmd":"/bin/bash","args":["-l","-c","x"]},"pid":56,"tag":"sandboxer-u2"},
				 {"config":{"cmd":"sleep","args":["9"]},"pid":57}]}
				""");
		assertThat(await(this.sandbox.listPty())).containsExactly(new PtyInfo(55, 24, 80));
	}

	@Test
	void envdBeforeTheDefaultUserRunsAsUser() {
		SandboxProvider old = E2bStubs.provider(wm);
		try {
			ProviderSandbox legacy = E2bStubs.attach(wm, old, "0.3.9");
			E2bStubs.stubStream(wm, START, start(1), end("{}"), endOfStream());
			await(legacy.runCommand(RunCommandRequest.of("id"), CommandOutputListener.NONE));
			List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/" + START)));
			assertThat(requests).singleElement()
				.satisfies((request) -> assertThat(request.getHeader("Authorization"))
					.isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:".getBytes())));
		}
		finally {
			old.close();
		}
	}

}
