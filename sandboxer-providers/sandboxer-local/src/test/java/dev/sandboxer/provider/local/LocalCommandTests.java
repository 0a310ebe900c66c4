package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** runCommand against a real Docker Engine, on the BusyBox and the Debian image. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalCommandTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@OnBothImages
	void keepsStdoutAndStderrApartWithTheExitCode(String image) {
		CommandResult result = this.sandboxes.of(image).runCommand("echo out; echo err >&2; exit 3");

		assertThat(result.stdout()).isEqualTo("out\n");
		assertThat(result.stderr()).isEqualTo("err\n");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		assertThat(result.durationMs()).isPositive();
	}

	@OnBothImages
	void passesTheRequestEnvironmentCwdAndUserToTheProcess(String image) {
		CommandResult result = this.sandboxes.of(image)
			.runCommand(RunCommandRequest.builder("echo \"$GREETING|$(pwd)|$(id -u)\"")
				.env("GREETING", "hello 'world' $HOME")
				.cwd("/tmp")
				.user("nobody")
				.build());

		assertThat(result.stdout()).isEqualTo("hello 'world' $HOME|/tmp|65534\n");
	}

	@OnBothImages
	void seesTheCreateTimeEnvironment(String image) {
		try (Sandbox sandbox = this.sandboxes
			.create(this.sandboxes.request(image).env("FROM_CREATE", "created value").build())) {
			assertThat(sandbox.runCommand("echo \"$FROM_CREATE\"").stdout()).isEqualTo("created value\n");
		}
	}

	@OnBothImages
	void closesStdinSoThatReadingItEndsAtOnce(String image) {
		CommandResult result = this.sandboxes.of(image)
			.runCommand(RunCommandRequest.builder("cat; echo done").timeout(Duration.ofSeconds(20)).build());

		assertThat(result.timedOut()).isFalse();
		assertThat(result.stdout()).isEqualTo("done\n");
	}

	@OnBothImages
	void decodesACharacterWhoseBytesArriveInSeparateChunks(String image) {
		List<String> chunks = new CopyOnWriteArrayList<>();
		// é is C3 A9 and 😀 is F0 9F 98 80: each byte leaves in its own write, with a pause between.
		String script = "printf '\\303'; sleep 0.3; printf '\\251|'; sleep 0.3; printf '\\360\\237'; sleep 0.3; "
				+ "printf '\\230'; sleep 0.3; printf '\\200'; printf '\\303' >&2; sleep 0.3; printf '\\251' >&2";
		CommandResult result = this.sandboxes.of(image)
			.runCommand(RunCommandRequest.of(script), new CommandOutputListener() {
				@Override
				public void onStdout(String chunk) {
					chunks.add(chunk);
				}
			});

		assertThat(result.stdout()).isEqualTo("é|😀");
		assertThat(result.stderr()).isEqualTo("é");
		assertThat(chunks).hasSizeGreaterThan(1).doesNotContain("\uFFFD");
		assertThat(String.join("", chunks)).isEqualTo("é|😀");
	}

	@OnBothImages
	void streamsOutputWhileTheCommandRuns(String image) {
		List<Long> arrivals = new CopyOnWriteArrayList<>();
		long started = System.nanoTime();
		this.sandboxes.of(image)
			.runCommand(RunCommandRequest.of("echo first; sleep 1; echo second"), new CommandOutputListener() {
				@Override
				public void onStdout(String chunk) {
					arrivals.add((System.nanoTime() - started) / 1_000_000);
				}
			});

		assertThat(arrivals).hasSize(2);
		assertThat(arrivals.get(1) - arrivals.get(0)).as("the first line arrived before the sleep ended")
			.isGreaterThan(500);
	}

	@OnBothImages
	void killsTheProcessAndItsChildrenInsideTheContainerAtTheTimeout(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		CommandResult result = sandbox.runCommand(RunCommandRequest
			.builder("echo started; sleep 301 & sleep 302; echo never")
			.timeout(Duration.ofSeconds(1))
			.build());

		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.stdout()).isEqualTo("started\n");
		assertThat(result.durationMs()).isBetween(900L, 10_000L);
		assertThat(sandbox.listProcesses()).noneMatch((process) -> process.command().startsWith("sleep 30"));
	}

	@Test
	void aLongCommandGetsItsOwnTimeoutNotTheDefault() {
		// The default command timeout is the client's command-timeout, the same for every provider.
		ProviderConfig shortDefault = ProviderConfig.builder()
			.defaultTimeout(Duration.ofSeconds(1))
			.extra("command-timeout", "1s")
			.build();
		try (LocalTestSandboxes short1s = new LocalTestSandboxes(shortDefault)) {
			Sandbox sandbox = short1s.of(LocalTestSandboxes.BUSYBOX);

			CommandResult byDefault = sandbox.runCommand("sleep 3; echo done");
			CommandResult ownTimeout = sandbox
				.runCommand(RunCommandRequest.builder("sleep 3; echo done").timeout(Duration.ofSeconds(20)).build());

			assertThat(byDefault.timedOut()).isTrue();
			assertThat(ownTimeout.timedOut()).isFalse();
			assertThat(ownTimeout.stdout()).isEqualTo("done\n");
		}
	}

	@Test
	void aSandboxThatIsGoneGivesNotFoundNotAnExitCode() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		String id = sandbox.id();
		Sandboxer other = this.sandboxes.sandboxer;
		Sandbox attached = other.attachSandbox(id);
		sandbox.kill();

		assertThatThrownBy(() -> attached.runCommand("echo hi")).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(attached::info).isInstanceOf(NotFoundException.class);
	}

	@Test
	void aCommandWhoseSandboxIsKilledWhileItRunsEndsWithNotFound() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.DEBIAN).build());
		CompletableFuture<CommandResult> running = sandbox.async()
			.runCommand(RunCommandRequest.builder("echo started; sleep 60").timeout(Duration.ofMinutes(2)).build());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> sandbox.listProcesses().stream().anyMatch((process) -> process.command().equals("sleep 60")));

		this.sandboxes.sandboxer.killSandbox(sandbox.id());

		assertThat(running).failsWithin(Duration.ofSeconds(20))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(NotFoundException.class);
	}

	@Test
	void aMissingWorkingDirectoryIsATypedErrorNotAnExitCode() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("pwd").cwd("/no/such/dir").build()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("/no/such/dir");
		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("id").user("no-such-user").build()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("no-such-user");
	}

	@Test
	void aCommandThatExitsWith126ByItselfIsStillAResult() {
		CommandResult result = this.sandboxes.of(LocalTestSandboxes.BUSYBOX).runCommand("echo mine; exit 126");

		assertThat(result.exitCode()).isEqualTo(126);
		assertThat(result.stdout()).isEqualTo("mine\n");
	}

}
