package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sandbox at bfecd2e7da6a726d6bbd8c010b511a6f9fc43121: sandbox-api/docs/openapi.yml
// (ProcessRequest {command, name, workingDir, env, waitForCompletion, timeout}: no user field; ProcessResponse with
// exitCode, stdout, stderr) and src/handler/process.go (the command runs as $SHELL -c, as the sandbox's own user;
// waitForCompletion answers the finished process as JSON; Accept: text/event-stream answers NDJSON). Another user is
// reached with sudo -n (sudo(8)); a sandbox that cannot answers the check with sudo's message and a non-zero exit.


import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.WORKSPACE;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.await;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlaxelOtherUserTests {

	private static final String CHECK = "sudo -n -u 'bob' -- true";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = BlaxelStubs.provider(wm);

	private final ProviderSandbox sandbox = BlaxelStubs.attached(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	private static void sudoWorks() {
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(CHECK)))
			.willReturn(okJson(BlaxelCommandsTests.result("completed", 0, "", ""))));
	}

	@Test
	void runCommandAsAnotherUserChecksSudoOnceThenRunsAStrictlyQuotedLine() {
		sudoWorks();
		String line = "sudo -n -H -u 'bob' -- env 'GREETING=it'\\''s $HOME' sh -c 'echo \"$GREETING\"; id -un'";
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(line)))
			.willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson")
				.withBody(event("stdout", "it's $HOME\nbob\n") + "\n"
						+ event("result", BlaxelCommandsTests.result("completed", 0, "it's $HOME\nbob\n", "")) + "\n")));
		RunCommandRequest request = RunCommandRequest.builder("echo \"$GREETING\"; id -un")
			.cwd("/home/bob")
			.env("GREETING", "it's $HOME")
			.user("bob")
			.build();

		CommandResult result = await(this.sandbox.runCommand(request, CommandOutputListener.NONE));
		await(this.sandbox.runCommand(request, CommandOutputListener.NONE));

		assertThat(result.stdout()).isEqualTo("it's $HOME\nbob\n");
		wm.verify(1, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE))
			.withRequestBody(matchingJsonPath("$.command", equalTo(CHECK)))
			.withRequestBody(matchingJsonPath("$.waitForCompletion", equalTo("true")))
			.withRequestBody(matchingJsonPath("$.timeout", equalTo("2")))
			.withRequestBody(matchingJsonPath("$.env", absent())));
		// The environment is in the line (sudo would clear sandbox-api's env); the directory stays a field.
		wm.verify(2, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withHeader("Accept", equalTo("text/event-stream"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(line)))
			.withRequestBody(matchingJsonPath("$.workingDir", equalTo("/home/bob")))
			.withRequestBody(matchingJsonPath("$.env", absent()))
			.withRequestBody(matchingJsonPath("$.name", matching("sandboxer-[0-9a-f-]{36}"))));
	}

	@Test
	void startCommandAsAnotherUserSendsTheSudoLine() {
		sudoWorks();
		String line = "sudo -n -H -u 'bob' -- env 'PORT=8000' sh -c 'python3 -m http.server'";
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(line)))
			.willReturn(okJson("{\"pid\":\"4242\",\"name\":\"n\",\"command\":\"c\",\"status\":\"running\"}")));
		CommandHandle handle = await(this.sandbox.startCommand(StartCommandRequest.builder("python3 -m http.server")
			.env("PORT", "8000")
			.user("bob")
			.build()));
		assertThat(handle).isEqualTo(new CommandHandle(4242, "n"));
		wm.verify(postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(line)))
			.withRequestBody(matchingJsonPath("$.waitForCompletion", equalTo("false")))
			.withRequestBody(matchingJsonPath("$.env", absent())));
	}

	@Test
	void aSandboxThatCannotSwitchUsersIsNotSupportedAndRunsNothing() {
		wm.stubFor(post(urlEqualTo(SANDBOX_PATH + "/process"))
			.withRequestBody(matchingJsonPath("$.command", equalTo(CHECK)))
			.willReturn(okJson(BlaxelCommandsTests.result("failed", 127, "", "sh: 1: sudo: not found\n"))));
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(this.sandbox.runCommand(RunCommandRequest.builder("id").user("bob").build(),
					CommandOutputListener.NONE)))
			.withMessageContaining("runCommand as user 'bob'")
			.withMessageContaining("exited with 127: sh: 1: sudo: not found")
			.withMessageContaining("NOPASSWD");
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(this.sandbox.startCommand(StartCommandRequest.builder("id").user("bob").build())))
			.withMessageContaining("startCommand as user 'bob'");
		// The two checks and nothing else.
		wm.verify(2, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process")));
	}

	@Test
	void whatIsNotAUserNameIsRefusedBeforeAnythingIsSent() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> await(this.sandbox.startCommand(StartCommandRequest.builder("id").user("$(reboot)")
				.build())))
			.withMessageContaining("Not a user name");
		wm.verify(0, postRequestedFor(urlEqualTo(SANDBOX_PATH + "/process")));
	}

}
