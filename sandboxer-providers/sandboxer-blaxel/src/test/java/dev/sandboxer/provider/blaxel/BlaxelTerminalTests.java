package dev.sandboxer.provider.blaxel;

// The terminal as blaxel-ai/sandbox at bfecd2e7da6a726d6bbd8c010b511a6f9fc43121 defines it: sandbox-api/src/api/router.go
// (GET /terminal/ws), src/handler/terminal.go (query cols, rows, shell, workingDir, sessionId; TerminalMessage {type:
// input|output|resize|error, data, cols, rows}; the buffered output replayed on connect; an "error" message and a
// closed socket when the session cannot start; every client message read with conn.ReadMessage whatever its frame
// type; the socket closed on the first message read after the session died) and src/handler/terminal/
// session_manager.go (sessions by id, ended when the shell exits). WireMock speaks no WebSocket, so a Reactor Netty
// server plays sandbox-api here (the sandbox's metadata.url points at it); the control plane is WireMock as elsewhere.

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.NAME;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.WORKSPACE;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlaxelTerminalTests {

	private static final JsonCodec JSON = new JsonCodec();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** What sandbox-api was sent: "WS <query> <authorization> <workspace>", "IN <message>", "END", "PROCESS <body>". */
	private final List<String> seen = new CopyOnWriteArrayList<>();

	/** The path and query of each terminal handshake. */
	private final List<String> uris = new CopyOnWriteArrayList<>();

	private final DisposableServer sandboxApi = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
		.post(SANDBOX_PATH + "/process", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
			this.seen.add("PROCESS " + body);
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just(BlaxelCommandsTests.result("completed", 0, "", "")))
				.then();
		}))
		.get(SANDBOX_PATH + "/terminal/ws", (request, response) -> response.sendWebsocket((in, out) -> {
			this.uris.add(request.uri());
			this.seen.add("WS " + request.requestHeaders().get("Authorization") + " "
					+ request.requestHeaders().get("X-Blaxel-Workspace"));
			Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
			String workingDir = params.containsKey("workingDir") ? params.get("workingDir").get(0) : "";
			if (workingDir.equals("/nope")) {
				// GetOrCreate failed: an error message, then the connection closes.
				return out.sendObject(Mono.just(text("error", "chdir /nope: no such file or directory"))).then();
			}
			boolean stubborn = workingDir.equals("/stubborn");
			AtomicBoolean dead = new AtomicBoolean();
			Sinks.Many<WebSocketFrame> replies = Sinks.many().unicast().onBackpressureBuffer();
			replies.tryEmitNext(text("output", "$ "));
			in.receiveFrames().map((frame) -> frame.content().toString(StandardCharsets.UTF_8)).subscribe((message) -> {
				this.seen.add("IN " + message);
				if (dead.get()) {
					// The session died; the handler returns on the next message it reads and closes the socket.
					replies.tryEmitComplete();
					return;
				}
				Map<?, ?> parsed = JSON.read(message.getBytes(StandardCharsets.UTF_8), Map.class);
				String data = String.valueOf(parsed.get("data"));
				if ("input".equals(parsed.get("type")) && (data.contains("\u0004") || data.equals("exit\n")) && !stubborn) {
					dead.set(true);
				}
				else if ("input".equals(parsed.get("type")) && data.endsWith("\n")) {
					replies.tryEmitNext(text("output", data.replace("\n", "\r\n") + "ran\r\n$ "));
				}
			}, (error) -> replies.tryEmitComplete(), () -> {
				this.seen.add("END");
				replies.tryEmitComplete();
			});
			return out.sendObject(replies.asFlux()).then();
		})))
		.bindNow();

	private final SandboxProvider provider = BlaxelStubs.provider(wm);

	private final ProviderSandbox sandbox = attach(SANDBOX_PATH);

	@AfterEach
	void close() {
		this.provider.close();
		this.sandboxApi.disposeNow();
	}

	/** Attaches with a metadata.url on the stand-in. */
	private ProviderSandbox attach(String path) {
		String url = "http://127.0.0.1:" + this.sandboxApi.port() + path;
		wm.stubFor(get(urlPathEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson("""
				{"metadata":{"name":"%s","url":"%s","workspace":"acme"},
				 "spec":{"runtime":{"image":"blaxel/base-image:latest","memory":4096}},
				 "status":"DEPLOYED","state":"RUNNING"}
				""".formatted(NAME, url))));
		return await(this.provider.attachSandbox(NAME));
	}

	private static WebSocketFrame text(String type, String data) {
		return new TextWebSocketFrame(new String(JSON.write(Map.of("type", type, "data", data)), StandardCharsets.UTF_8));
	}

	@Test
	void aTerminalOpensWithItsSizeStreamsOutputTakesInputAndResizes() throws Exception {
		StringBuffer output = new StringBuffer();
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().size(30, 100).cwd("/work dir").build(),
				(data) -> output.append(new String(data, StandardCharsets.UTF_8))));
		assertThat(pty.pid()).isPositive();
		assertThat(pty.rows()).isEqualTo(30);
		assertThat(pty.cols()).isEqualTo(100);
		assertThat(output.toString()).isEqualTo("$ ");
		assertThat(this.seen).containsExactly("WS Bearer " + API_KEY + " " + WORKSPACE);
		assertThat(this.uris).containsExactly(SANDBOX_PATH + "/terminal/ws?cols=100&rows=30&sessionId=sandboxer-pty-"
				+ pty.pid() + "&workingDir=%2Fwork%20dir");

		await(this.sandbox.sendPtyInput(pty.pid(), "ls -l 'é'\n".getBytes(StandardCharsets.UTF_8)));
		await(this.sandbox.resizePty(pty.pid(), 40, 120));
		waitUntil(() -> output.toString().endsWith("ran\r\n$ "));
		waitUntil(() -> this.seen.size() == 3);

		assertThat(output.toString()).isEqualTo("$ ls -l 'é'\r\nran\r\n$ ");
		assertThat(this.seen.subList(1, 3)).containsExactly("IN {\"type\":\"input\",\"data\":\"ls -l 'é'\\n\"}",
				"IN {\"type\":\"resize\",\"cols\":120,\"rows\":40}");
		assertThat(await(this.sandbox.listPty())).containsExactly(new PtyInfo(pty.pid(), 40, 120));
	}

	@Test
	void killPtyTypesCtrlCAndCtrlDUntilSandboxApiClosesTheEndedTerminal() throws Exception {
		CountDownLatch exited = new CountDownLatch(1);
		int[] exitCode = { 0 };
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().build(), new PtyListener() {

			@Override
			public void onOutput(byte[] data) {
			}

			@Override
			public void onExit(int code) {
				exitCode[0] = code;
				exited.countDown();
			}

		}));
		await(this.sandbox.killPty(pty.pid()));

		assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(exitCode[0]).isEqualTo(-1);
		// The first keys end the shell; sandbox-api closes the socket when it reads the next message.
		assertThat(this.seen.stream().filter((line) -> line.equals("IN {\"type\":\"input\",\"data\":\"\\u0003\\u0004\"}")))
			.hasSizeGreaterThanOrEqualTo(2);
		assertThat(await(this.sandbox.listPty())).isEmpty();
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.sendPtyInput(pty.pid(), new byte[] { 'x' })))
			.withMessageContaining("no open terminal " + pty.pid());
	}

	@Test
	void aTerminalThatIgnoresTheKeysIsClosedAndReportedStillRunning() throws Exception {
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().cwd("/stubborn").build(),
				PtyListener.NONE));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(this.sandbox.killPty(pty.pid())))
			.withMessageContaining("did not end on Ctrl-C and Ctrl-D")
			.satisfies((error) -> assertThat(error.code()).contains("terminal_still_running"));
		waitUntil(() -> this.seen.contains("END"));
		assertThat(await(this.sandbox.listPty())).isEmpty();
	}

	@Test
	void aCommandAnEnvironmentAndAUserAreTypedAsStrictlyQuotedLines() throws Exception {
		PtyInfo top = await(this.sandbox.createPty(CreatePtyRequest.builder().command("top -b -d 'it''s'")
			.env("A", "1")
			.build(), PtyListener.NONE));
		PtyInfo shell = await(this.sandbox.createPty(CreatePtyRequest.builder().env("B", "x y").build(),
				PtyListener.NONE));
		PtyInfo root = await(this.sandbox.createPty(CreatePtyRequest.builder().user("bob").build(), PtyListener.NONE));
		waitUntil(() -> this.seen.stream().filter((line) -> line.startsWith("IN ")).count() == 3);

		assertThat(this.seen).contains(
				"IN " + input("exec env 'A=1' sh -c 'top -b -d '\\''it'\\'''\\''s'\\'''\n"),
				"IN " + input("export 'B=x y'\n"),
				"IN " + input("exec sudo -n -H -u 'bob' -- sh -l\n"));
		// The user was checked first, through the process API.
		assertThat(this.seen.stream().filter((line) -> line.startsWith("PROCESS ")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("\"command\":\"sudo -n -u 'bob' -- true\"")
				.contains("\"waitForCompletion\":true"));
		assertThat(await(this.sandbox.listPty())).extracting(PtyInfo::pid)
			.containsExactlyInAnyOrder(top.pid(), shell.pid(), root.pid());
	}

	@Test
	void sandboxApisErrorFailsCreatePtyWithItsWords() {
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.createPty(CreatePtyRequest.builder().cwd("/nope").build(),
					PtyListener.NONE)))
			.withMessageContaining("chdir /nope: no such file or directory")
			.satisfies((error) -> assertThat(error.code()).contains("terminal_error"));
		assertThat(await(this.sandbox.listPty())).isEmpty();
	}

	@Test
	void aTerminalThisClientDidNotOpenIsNotFoundAndNothingConnects() {
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.sandbox.sendPtyInput(7, new byte[] { 'x' })));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.resizePty(7, 24, 80)));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.killPty(7)));
		assertThat(this.seen).isEmpty();
	}

	@Test
	void inputThatIsNotUtf8AndSizesPastUint16AreRefused() {
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().build(), PtyListener.NONE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> await(this.sandbox.sendPtyInput(pty.pid(), new byte[] { (byte) 0xC3 })))
			.withMessageContaining("UTF-8");
		assertThatIllegalArgumentException().isThrownBy(() -> await(this.sandbox.resizePty(pty.pid(), 24, 70000)));
		assertThat(this.seen).containsExactly("WS Bearer " + API_KEY + " " + WORKSPACE);
	}

	@Test
	void aSandboxApiWithoutTheTerminalIsNotSupported() {
		ProviderSandbox old = attach("/run/acme/sandboxes/without-terminal");
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(old.createPty(CreatePtyRequest.builder().build(), PtyListener.NONE)))
			.withMessageContaining("DISABLE_TERMINAL");
	}

	@Test
	void aShellThatEndsByItselfIsNoticedByTheKeepaliveAndHeardAsAnExit() throws Exception {
		VendorHttpClient http = VendorHttpClient.builder(BlaxelSettings.PROVIDER, BlaxelStubs.config(wm).build()).build();
		try {
			SandboxApi api = new SandboxApi(http, "http://127.0.0.1:" + this.sandboxApi.port() + SANDBOX_PATH,
					new BlaxelAuth(API_KEY, WORKSPACE));
			TerminalSockets sockets = new TerminalSockets();
			SandboxTerminals terminals = new SandboxTerminals(NAME, api, sockets, new OtherUsers(api),
					Duration.ofMillis(100));
			CountDownLatch exited = new CountDownLatch(1);
			PtyInfo pty = terminals.create(CreatePtyRequest.builder().build(), new PtyListener() {

				@Override
				public void onOutput(byte[] data) {
				}

				@Override
				public void onExit(int code) {
					exited.countDown();
				}

			}).block(Duration.ofSeconds(10));
			terminals.send(pty.pid(), "exit\n".getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(10));

			// No message of ours follows the exit but the keepalive, on which sandbox-api closes the socket.
			assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(this.seen).contains("IN " + input(""));
			assertThat(terminals.list().block(Duration.ofSeconds(10))).isEmpty();
			// An ended terminal, and one that never opened, leave nothing behind in the registry.
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> terminals
				.create(CreatePtyRequest.builder().cwd("/nope").build(), PtyListener.NONE)
				.block(Duration.ofSeconds(10)));
			assertThat(sockets.of(NAME)).isEmpty();
		}
		finally {
			http.close();
		}
	}

	@Test
	void killingTheSandboxClosesItsTerminals() throws Exception {
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder().build(), PtyListener.NONE));
		wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo("/v0/sandboxes/" + NAME))
			.willReturn(okJson("{\"metadata\":{\"name\":\"" + NAME + "\"},\"status\":\"DELETING\"}")));
		await(this.sandbox.kill());
		waitUntil(() -> this.seen.contains("END"));
		assertThat(await(this.sandbox.listPty())).isEmpty();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.killPty(pty.pid())));
	}

	@Test
	void theSocketsCloseWithTheProvider() throws Exception {
		CountDownLatch exited = new CountDownLatch(1);
		await(this.sandbox.createPty(CreatePtyRequest.builder().build(), new PtyListener() {

			@Override
			public void onOutput(byte[] data) {
			}

			@Override
			public void onExit(int code) {
				exited.countDown();
			}

		}));
		this.provider.close();
		waitUntil(() -> this.seen.contains("END"));
		assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
	}

	private static String input(String data) {
		Map<String, String> message = new java.util.LinkedHashMap<>();
		message.put("type", "input");
		message.put("data", data);
		return new String(JSON.write(message), StandardCharsets.UTF_8);
	}

	private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
	}

}
