package dev.sandboxer.provider.daytona;

// A command whose output is listened to runs in a session and follows its log, as daytonaio/daytona at commit
// b5a5d9e7 serves it: POST /process/session, POST /process/session/{id}/exec {command, runAsync} -> 202 {cmdId}, the
// WebSocket GET /process/session/{id}/command/{cmdId}/logs?follow=true (apps/daemon/pkg/session/log.go: binary frames
// of the raw log, 01 01 01 / 02 02 02 markers with X-Daytona-Split-Output: true, closed once the exit code is
// written), GET /process/session/{id}/command/{cmdId} -> Command {id, command, exitCode}, DELETE
// /process/session/{id}. WireMock speaks no WebSocket, so a Reactor Netty server plays the toolbox.

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
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

class DaytonaStreamingTests {

	private static final String SESSION = "/toolbox/" + SANDBOX_ID + "/process/session";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final List<String> seen = new CopyOnWriteArrayList<>();

	/** Whether the log socket stays open until the session is deleted (a command that runs past its timeout). */
	private volatile boolean hangs;

	/** Whether the log socket drops at once while the command runs on. */
	private volatile boolean drops;

	private final DisposableServer toolbox = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
		.post(SESSION, (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
			this.seen.add("CREATE " + body);
			return response.status(201).send().then();
		}))
		.post(SESSION + "/{id}/exec", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
			this.seen.add("EXEC " + body);
			return response.status(202).header("Content-Type", "application/json")
				.sendString(Mono.just("{\"cmdId\":\"c-9\"}")).then();
		}))
		.get(SESSION + "/{id}/command/c-9", (request, response) -> {
			this.seen.add("GET command");
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just(this.drops ? "{\"id\":\"c-9\",\"command\":\"x\"}"
						: "{\"id\":\"c-9\",\"command\":\"x\",\"exitCode\":4}"));
		})
		.delete(SESSION + "/{id}", (request, response) -> {
			this.seen.add("DELETE");
			return response.status(204).send();
		})
		.ws(SESSION + "/{id}/command/c-9/logs", (in, out) -> {
			this.seen.add("WS " + in.headers().get("Authorization") + " split=" + in.headers().get(
					"X-Daytona-Split-Output"));
			if (this.drops) {
				return out.sendClose(1011, "gone");
			}
			if (this.hangs) {
				return out.sendObject(Flux.just(frame("\u0001\u0001\u0001tick\n"))).then(in.receive().then());
			}
			// A marker cut between two frames, and a UTF-8 character cut between two others.
			byte[] e = "\u00e9".getBytes(StandardCharsets.UTF_8);
			return out.sendObject(Flux.just(frame("\u0001\u0001\u0001hel"), frame("lo\n\u0002\u0002"),
					frame("\u0002oops\n\u0001\u0001\u0001"), frame(new byte[] { e[0] }), frame(new byte[] { e[1], '\n' })));
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

	private static WebSocketFrame frame(String text) {
		return frame(text.getBytes(StandardCharsets.UTF_8));
	}

	private static WebSocketFrame frame(byte[] bytes) {
		return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
	}

	@Test
	void outputReachesTheListenerApartAsItArrivesAndTheSessionIsDeleted() {
		List<String> heard = new CopyOnWriteArrayList<>();
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("make")
			.cwd("/src")
			.env("CC", "clang")
			.build(), new CommandOutputListener() {

				@Override
				public void onStdout(String chunk) {
					heard.add("out:" + chunk);
				}

				@Override
				public void onStderr(String chunk) {
					heard.add("err:" + chunk);
				}

			}));
		assertThat(result.stdout()).isEqualTo("hello\n\u00e9\n");
		assertThat(result.stderr()).isEqualTo("oops\n");
		assertThat(result.exitCode()).isEqualTo(4);
		assertThat(result.timedOut()).isFalse();
		assertThat(String.join("", heard)).isEqualTo("out:helout:lo\nerr:oops\nout:\u00e9\n");
		assertThat(this.seen).hasSize(5);
		assertThat(this.seen.get(0)).matches("CREATE \\{\"sessionId\":\"sandboxer-[0-9]+\"}");
		assertThat(this.seen.get(1)).isEqualTo("EXEC {\"command\":\"(\\ncd -- '/src' || exit 1\\nexport 'CC=clang'\\n"
				+ "#sandboxer:command\\nmake\\n)\",\"runAsync\":true}");
		assertThat(this.seen.subList(2, 5)).containsExactly("WS Bearer " + API_KEY + " split=true", "GET command",
				"DELETE");
	}

	@Test
	void atItsTimeoutTheCommandsSessionIsDeletedAndTheResultSaysSo() {
		this.hangs = true;
		List<String> heard = new CopyOnWriteArrayList<>();
		CommandResult result = await(this.sandbox.runCommand(RunCommandRequest.builder("sleep 600")
			.timeout(Duration.ofMillis(300))
			.build(), new CommandOutputListener() {

				@Override
				public void onStdout(String chunk) {
					heard.add(chunk);
				}

			}));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.stdout()).isEqualTo("tick\n");
		assertThat(heard).containsExactly("tick\n");
		assertThat(this.seen).contains("DELETE").doesNotContain("GET command");
	}

	@Test
	void aLogThatEndsBeforeItsCommandIsAStreamInterruption() {
		this.drops = true;
		org.assertj.core.api.Assertions
			.assertThatExceptionOfType(dev.sandboxer.error.StreamInterruptedException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.of("sleep 9"), new CommandOutputListener() {
			})))
			.withMessageContaining("ended before its command did");
		assertThat(this.seen).endsWith("GET command", "DELETE");
	}

}
