package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.StartCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Background commands and processes, all in the container's own pid space, on both test images. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalProcessTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@OnBothImages
	void startCommandReturnsTheRealPidThatListAndKillUse(String image) {
		Sandbox sandbox = this.sandboxes.of(image);

		CommandHandle handle = sandbox.startCommand(StartCommandRequest.of("sleep 411 & sleep 412; echo unreachable"));

		assertThat(sandbox.listProcesses()).anySatisfy((process) -> {
			assertThat(process.pid()).isEqualTo(handle.pid());
			assertThat(process.command()).contains("sleep 411 & sleep 412");
			assertThat(process.user()).isEqualTo("root");
		}).anySatisfy((process) -> assertThat(process.command()).isEqualTo("sleep 412"));
		assertThat(sandbox.runCommand("cat /proc/" + handle.pid() + "/cmdline | tr '\\0' ' '").stdout())
			.startsWith("sh -c sleep 411");

		sandbox.killProcess(handle.pid());

		CommandResult result = sandbox.waitForHandle(handle.handleId());
		assertThat(result.exitCode()).isEqualTo(137);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sandbox.listProcesses())
			.noneMatch((process) -> process.command().startsWith("sleep 41")));
		assertThatThrownBy(() -> sandbox.killProcess(handle.pid())).isInstanceOf(NotFoundException.class);
	}

	@OnBothImages
	void waitForHandleWorksFromAnotherClientThatAttachedLater(String image) throws Exception {
		Sandbox sandbox = this.sandboxes.of(image);
		CommandHandle handle = sandbox.startCommand(StartCommandRequest
			.builder("echo \"out $GREETING from $(pwd)\"; echo err >&2; sleep 1; printf 'ü'; exit 7")
			.env("GREETING", "hello")
			.cwd("/tmp")
			.user("nobody")
			.build());

		try (Sandboxer later = Sandboxer.builder("local").build()) {
			Sandbox attached = later.attachSandbox(sandbox.id());
			CompletableFuture<CommandResult> waiting = attached.async().waitForHandle(handle.handleId());
			assertThat(waiting).isNotDone();

			CommandResult result = waiting.get(30, TimeUnit.SECONDS);

			assertThat(result.stdout()).isEqualTo("out hello from /tmp\nü");
			assertThat(result.stderr()).isEqualTo("err\n");
			assertThat(result.exitCode()).isEqualTo(7);
			assertThat(result.durationMs()).isBetween(900L, 10_000L);
			assertThat(attached.waitForHandle(handle.handleId())).isEqualTo(result);
		}
		assertThat(sandbox.listProcesses()).filteredOn((process) -> process.pid() == handle.pid()).isEmpty();
	}

	@Test
	void anUnknownHandleIsNotFound() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.waitForHandle("0123456789abcdef0123456789abcdef"))
			.isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.waitForHandle("../../etc/passwd")).isInstanceOf(NotFoundException.class);
	}

	@OnBothImages
	void listsProcessesWithTheirUsersFromProc(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		CommandHandle handle = sandbox.startCommand(StartCommandRequest.builder("sleep 433").user("nobody").build());

		assertThat(sandbox.listProcesses()).anySatisfy((process) -> {
			assertThat(process.pid()).isEqualTo(1);
			assertThat(process.command()).contains("docker-init");
		}).anySatisfy((process) -> {
			assertThat(process.pid()).isEqualTo(handle.pid());
			assertThat(process.user()).isEqualTo("nobody");
		}).noneMatch((process) -> process.command().contains("/proc/[0-9]*"));
		sandbox.killProcess(handle.pid());
	}

	@Test
	void theInitProcessAndUnknownPidsAreRefused() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.killProcess(1)).isInstanceOf(ProviderException.class)
			.hasMessageContaining("init");
		assertThatThrownBy(() -> sandbox.killProcess(999_999)).isInstanceOf(NotFoundException.class);
	}

	@Test
	void aBackgroundCommandSurvivesItsStarterAndAGoneSandboxIsNotFound() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		CommandHandle handle = sandbox.startCommand(StartCommandRequest.of("sleep 1; echo done"));

		assertThat(sandbox.waitForHandle(handle.handleId()).stdout()).isEqualTo("done\n");
		CommandHandle endless = sandbox.startCommand(StartCommandRequest.of("sleep 1000"));
		CompletableFuture<CommandResult> waiting = sandbox.async().waitForHandle(endless.handleId());
		sandbox.kill();

		assertThat(waiting).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(NotFoundException.class);
	}

	@Test
	void aBadWorkingDirectoryFailsTheStart() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.startCommand(StartCommandRequest.builder("true").cwd("/no/where").build()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("/no/where");
	}

}
