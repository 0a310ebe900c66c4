package dev.sandboxer.provider.daytona;

// The toolbox's PTY routes as daytonaio/daytona at commit b5a5d9e7 defines them (apps/daemon/pkg/toolbox/docs/
// swagger.yaml and apps/daemon/pkg/toolbox/process/pty/{controller,websocket,types}.go): POST /process/pty
// (PtyCreateRequest {id, cwd, envs, cols, rows, lazyStart} -> 201 {sessionId}), GET /process/pty ({sessions:
// [PtySessionInfo]}), POST /process/pty/{id}/resize ({cols, rows}), DELETE /process/pty/{id}, and the WebSocket
// GET /process/pty/{id}/connect: a text control frame {"type":"control","status":"connected"}, binary output
// frames, client frames as input, and a close frame whose reason is {"exitCode":N}. WireMock speaks no WebSocket,
// so a Reactor Netty server plays the toolbox here (reached through the toolbox-base-url setting); the API is
// WireMock as elsewhere.

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.daytona.DaytonaStubs.API_KEY;
import static dev.sandboxer.provider.daytona.DaytonaStubs.SANDBOX_ID;
import static dev.sandboxer.provider.daytona.DaytonaStubs.await;
import static dev.sandboxer.provider.daytona.DaytonaStubs.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaPtyTests {

	private static final String BASE = "/toolbox/" + SANDBOX_ID + "/process/pty";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** What the toolbox was asked, one line a request ("POST /path body", "WS id headerValue", "IN id data"). */
	private final List<String> seen = new CopyOnWriteArrayList<>();

	private final DisposableServer toolbox = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
		.post(BASE, (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
			this.seen.add("POST " + BASE + " " + body + " " + request.requestHeaders().get("Authorization"));
			String id = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
			return response.status(201).header("Content-Type", "application/json")
				.sendString(Mono.just("{\"sessionId\":\"" + id + "\"}")).then();
		}))
		.post(BASE + "/{id}/resize", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
			this.seen.add("RESIZE " + request.param("id") + " " + body);
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"id\":\"" + request.param("id") + "\",\"cols\":100,\"rows\":30,\"active\":true}"))
				.then();
		}))
		.delete(BASE + "/sandboxer-pty-404", (request, response) -> response.status(404)
			.header("Content-Type", "application/json")
			.sendString(Mono.just("{\"error\":\"PTY session not found\"}")))
		.delete(BASE + "/{id}", (request, response) -> {
			this.seen.add("DELETE " + request.param("id"));
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"message\":\"PTY session deleted\"}"));
		})
		.get(BASE, (request, response) -> response.header("Content-Type", "application/json").sendString(Mono.just("""
				{"sessions":[{"id":"sandboxer-pty-5","cwd":"/home/daytona","envs":{},"cols":80,"rows":24,
				 "createdAt":"2026-01-02T03:04:05Z","active":true,"lazyStart":true},
				 {"id":"sandboxer-pty-6","cwd":"/","envs":{},"cols":80,"rows":24,"createdAt":"2026-01-02T03:04:05Z",
				  "active":false,"lazyStart":false},
				 {"id":"vscode","cwd":"/","envs":{},"cols":80,"rows":24,"createdAt":"2026-01-02T03:04:05Z",
				  "active":true,"lazyStart":false}]}
				""")))
		.ws(BASE + "/{id}/connect", (in, out) -> {
			this.seen.add("WS " + in.headers().get("Authorization"));
			Flux<WebSocketFrame> replies = in.receiveFrames().map((frame) -> {
				String input = ByteBufUtil.getBytes(frame.content()).length > 0
						? frame.content().toString(StandardCharsets.UTF_8) : "";
				this.seen.add("IN " + input.strip());
				if (input.equals("exit\n")) {
					return (WebSocketFrame) new CloseWebSocketFrame(1000, "{\"exitCode\":130,\"exitReason\":\" (SIGINT)\"}");
				}
				return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(("echo:" + input).getBytes(StandardCharsets.UTF_8)));
			}).takeUntil((frame) -> frame instanceof CloseWebSocketFrame).doFinally((signal) -> this.seen.add("WS-END"));
			return out.sendObject(Flux.concat(Flux.just(
					new TextWebSocketFrame("{\"type\":\"control\",\"status\":\"connected\"}"),
					new BinaryWebSocketFrame(Unpooled.wrappedBuffer("$ ".getBytes(StandardCharsets.UTF_8)))), replies));
		}))
		.bindNow();

	private final SandboxProvider provider = new DaytonaProviderFactory().create(DaytonaStubs.config(wm)
		.extra("toolbox-base-url", "http://127.0.0.1:" + this.toolbox.port() + "/toolbox")
		.build());

	private final ProviderSandbox sandbox = attach();

	private ProviderSandbox attach() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox/" + SANDBOX_ID)).willReturn(okJson(sandbox(wm, SANDBOX_ID,
				"started"))));
		return await(this.provider.attachSandbox(SANDBOX_ID));
	}

	@AfterEach
	void close() {
		this.provider.close();
		this.toolbox.disposeNow();
	}

	@Test
	void aTerminalStreamsOutputTakesInputAndReportsItsExit() throws Exception {
		StringBuffer output = new StringBuffer();
		CountDownLatch exited = new CountDownLatch(1);
		int[] exitCode = { 0 };
		PtyListener listener = new PtyListener() {

			@Override
			public void onOutput(byte[] data) {
				output.append(new String(data, StandardCharsets.UTF_8));
			}

			@Override
			public void onExit(int code) {
				exitCode[0] = code;
				exited.countDown();
			}

		};
		PtyInfo pty = await(this.sandbox.createPty(CreatePtyRequest.builder()
			.command("top")
			.size(30, 100)
			.cwd("/tmp")
			.env("LANG", "C.UTF-8")
			.build(), listener));
		assertThat(pty.rows()).isEqualTo(30);
		assertThat(pty.cols()).isEqualTo(100);
		await(this.sandbox.sendPtyInput(pty.pid(), "q".getBytes(StandardCharsets.UTF_8)));
		await(this.sandbox.sendPtyInput(pty.pid(), "exit\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(exitCode[0]).isEqualTo(130);
		assertThat(output.toString()).isEqualTo("$ echo:exec top\necho:q");
		assertThat(this.seen).contains("POST " + BASE + " {\"id\":\"sandboxer-pty-" + pty.pid()
				+ "\",\"cwd\":\"/tmp\",\"envs\":{\"LANG\":\"C.UTF-8\"},\"cols\":100,\"rows\":30,\"lazyStart\":true}"
				+ " Bearer " + API_KEY, "WS Bearer " + API_KEY, "IN exec top", "IN q", "IN exit");
	}

	@Test
	void resizeKillAndList() {
		await(this.sandbox.resizePty(5, 30, 100));
		await(this.sandbox.killPty(5));
		assertThat(this.seen).containsExactly("RESIZE sandboxer-pty-5 {\"cols\":100,\"rows\":30}",
				"DELETE sandboxer-pty-5");
		assertThat(await(this.sandbox.listPty())).containsExactly(new PtyInfo(5, 24, 80));
	}

	@Test
	void killingAnUnknownTerminalIsNotFound() {
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.killPty(404)))
			.withMessageContaining("PTY session not found");
	}

	@Test
	void theSocketsCloseWithTheProvider() throws Exception {
		await(this.sandbox.createPty(CreatePtyRequest.builder().build(), PtyListener.NONE));
		assertThat(this.seen).doesNotContain("WS-END");
		this.provider.close();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!this.seen.contains("WS-END") && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.seen).contains("WS-END");
	}

}
