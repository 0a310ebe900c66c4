package dev.sandboxer.provider.daytona;

// Stubs follow daytonaio/daytona at commit b5a5d9e7: apps/daemon/pkg/toolbox/docs/swagger.yaml for POST
// /process/execute (ExecuteRequest {command, cwd, envs, timeout} -> ExecuteResponse {exitCode, result}: the command
// line is run by the sandbox's shell as the sandbox's user; the toolbox has no user field), the session routes
// (POST /process/session, POST .../exec {command, runAsync}) and POST /process/pty (PtyCreateRequest {id, cwd, envs,
// cols, rows, lazyStart}: no user field either). Another user is reached with sudo -n (sudo(8)); a sandbox that cannot
// answers the check with sudo's own message and a non-zero exit code, as the toolbox reports any command's.

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DaytonaOtherUserTests {

	private static final String CHECK = "sudo -n -u 'app' -- true";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = DaytonaStubs.provider(wm);

	private final ProviderSandbox sandbox = DaytonaStubs.attach(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	private static void sudoWorks() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(CHECK)))
			.willReturn(okJson("{\"exitCode\":0,\"result\":\"\"}")));
	}

	@Test
	void runCommandAsAnotherUserChecksSudoOnceThenRunsAStrictlyQuotedLine() {
		sudoWorks();
		String line = "sudo -n -H -u 'app' -- env 'GREETING=it'\\''s $HOME' sh -c 'echo \"$GREETING\"; id -un'";
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(line)))
			.willReturn(okJson("{\"exitCode\":0,\"result\":\"it's $HOME\\napp\\n\"}")));
		RunCommandRequest request = RunCommandRequest.builder("echo \"$GREETING\"; id -un")
			.cwd("/srv")
			.env("GREETING", "it's $HOME")
			.user("app")
			.build();

		CommandResult first = await(this.sandbox.runCommand(request, CommandOutputListener.NONE));
		await(this.sandbox.runCommand(request, CommandOutputListener.NONE));

		assertThat(first.stdout()).isEqualTo("it's $HOME\napp\n");
		assertThat(first.exitCode()).isZero();
		wm.verify(1, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withRequestBody(equalToJson("{\"command\":\"" + CHECK + "\",\"timeout\":2}")));
		// The environment is in the line (sudo clears the one the toolbox would give); the directory stays a field.
		wm.verify(2, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withRequestBody(equalToJson("{\"command\":" + json(line) + ",\"cwd\":\"/srv\"}")));
	}

	@Test
	void startCommandAsAnotherUserExecsSudoInItsSession() {
		sudoWorks();
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/session")).willReturn(aResponse().withStatus(201)));
		wm.stubFor(post(urlPathMatching(TOOLBOX + "/process/session/sandboxer-[0-9]+/exec"))
			.willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
				.withBody("{\"cmdId\":\"c-1\"}")));
		CommandHandle handle = await(this.sandbox.startCommand(StartCommandRequest.builder("python3 -m http.server")
			.cwd("/srv")
			.env("PORT", "8000")
			.user("app")
			.build()));
		String script = "(\ncd -- '/srv' || exit 1\n#sandboxer:command\n"
				+ "exec sudo -n -H -u 'app' -- env 'PORT=8000' sh -c 'python3 -m http.server'\n)";
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/session/sandboxer-" + handle.pid() + "/exec"))
			.withRequestBody(equalToJson("{\"command\":" + json(script) + ",\"runAsync\":true}")));
	}

	@Test
	void aSandboxThatCannotSwitchUsersIsNotSupportedAndRunsNothing() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/process/execute"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(CHECK)))
			.willReturn(okJson("{\"exitCode\":1,\"result\":\"sudo: a password is required\\n\"}")));
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.builder("id").user("app").build(),
					CommandOutputListener.NONE)))
			.withMessageContaining("runCommand as user 'app'")
			.withMessageContaining("sudo: a password is required")
			.withMessageContaining("NOPASSWD");
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(this.sandbox.startCommand(StartCommandRequest.builder("id").user("app").build())))
			.withMessageContaining("startCommand as user 'app'");
		// Nothing but the two checks: no command line, no session. A failed check is not remembered.
		wm.verify(2, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/execute")));
		wm.verify(0, postRequestedFor(urlPathEqualTo(TOOLBOX + "/process/session")));
	}

	@Test
	void whatIsNotAUserNameIsRefusedBeforeAnythingIsSent() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.builder("id").user("app; reboot").build(),
					CommandOutputListener.NONE)))
			.withMessageContaining("Not a user name");
		assertThat(wm.getAllServeEvents()).allSatisfy((event) -> assertThat(event.getRequest().getUrl())
			.doesNotContain("/process"));
	}

	@Test
	void aTerminalForAnotherUserTypesTheSudoLineWithItsEnvironment() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		String base = "/toolbox/" + DaytonaStubs.SANDBOX_ID + "/process";
		DisposableServer toolbox = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
			.post(base + "/execute", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
				seen.add("EXEC " + body);
				return response.header("Content-Type", "application/json")
					.sendString(Mono.just("{\"exitCode\":0,\"result\":\"\"}")).then();
			}))
			.post(base + "/pty", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
				seen.add("PTY " + body);
				return response.status(201).header("Content-Type", "application/json")
					.sendString(Mono.just("{\"sessionId\":\"x\"}")).then();
			}))
			.ws(base + "/pty/{id}/connect", (in, out) -> out.sendObject(Flux.concat(
					Flux.just((WebSocketFrame) new TextWebSocketFrame("{\"type\":\"control\",\"status\":\"connected\"}")),
					in.receiveFrames().doOnNext((frame) -> seen.add("IN " + frame.content().toString(StandardCharsets.UTF_8)))
						.thenMany(Flux.<WebSocketFrame>empty())))))
			.bindNow();
		SandboxProvider pointed = new DaytonaProviderFactory().create(DaytonaStubs.config(wm)
			.extra("toolbox-base-url", "http://127.0.0.1:" + toolbox.port() + "/toolbox")
			.build());
		try {
			ProviderSandbox terminalSandbox = DaytonaStubs.attach(wm, pointed);
			await(terminalSandbox.createPty(CreatePtyRequest.builder().cwd("/srv").env("LANG", "C.UTF-8").user("app")
				.build(), PtyListener.NONE));
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (seen.stream().noneMatch((line) -> line.startsWith("IN ")) && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(seen).hasSize(3);
			assertThat(seen.get(0)).isEqualTo("EXEC {\"command\":\"" + CHECK + "\",\"timeout\":2}");
			assertThat(seen.get(1)).matches("PTY \\{\"id\":\"sandboxer-pty-[0-9]+\",\"cwd\":\"/srv\",\"cols\":80,"
					+ "\"rows\":24,\"lazyStart\":true}");
			assertThat(seen.get(2)).isEqualTo("IN exec sudo -n -H -u 'app' -- env 'LANG=C.UTF-8' sh -l\n");
		}
		finally {
			pointed.close();
			toolbox.disposeNow();
		}
	}

	private static String json(String text) {
		return new String(new dev.sandboxer.http.JsonCodec().write(text), StandardCharsets.UTF_8);
	}

}
