package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
	final LocalTestSandboxes sandboxes = LocalTestSandboxes.withSessions(sessions(), overSocket());

	/** Whether commands go through sessions here; a subclass runs every test again through exec. */
	boolean sessions() {
		return true;
	}

	/** Whether sessions reach their agents over the Engine's socket here; a subclass runs them through docker-java. */
	boolean overSocket() {
		return true;
	}

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
			.extra("session", Boolean.toString(sessions()))
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

	@OnBothImages
	void sixtyFourCommandsAtOnceEachGetTheirOwnOutput(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		List<CompletableFuture<CommandResult>> running = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			running.add(sandbox.async()
				.runCommand(RunCommandRequest.builder("sleep 0.$((" + i + " % 5)); echo out-" + i + "; echo err-" + i
						+ " >&2; exit $((" + i + " % 7))").env("N", Integer.toString(i)).build()));
		}

		for (int i = 0; i < 64; i++) {
			CommandResult result = running.get(i).join();
			assertThat(result.stdout()).isEqualTo("out-" + i + "\n");
			assertThat(result.stderr()).isEqualTo("err-" + i + "\n");
			assertThat(result.exitCode()).isEqualTo(i % 7);
		}
	}

	@OnBothImages
	void twentyMegabytesOfOutputArriveWhole(String image) {
		List<Integer> chunks = new ArrayList<>();
		long[] streamed = new long[1];
		CommandResult result = this.sandboxes.of(image)
			.runCommand(RunCommandRequest.builder("head -c 20971520 /dev/zero | tr '\\0' 'x'; echo end >&2")
				.timeout(Duration.ofMinutes(2))
				.build(), new CommandOutputListener() {
					@Override
					public void onStdout(String chunk) {
						synchronized (chunks) {
							chunks.add(chunk.length());
							streamed[0] += chunk.chars().filter((c) -> c == 'x').count();
						}
					}
				});

		assertThat(result.exitCode()).isZero();
		assertThat(streamed[0]).as("every byte reached the listener").isEqualTo(20L * 1024 * 1024);
		assertThat(result.stdout().length()).as("what the result keeps").isEqualTo(1024 * 1024);
		assertThat(result.stdout().chars().allMatch((c) -> c == 'x')).isTrue();
		assertThat(result.stderr()).isEqualTo("end\n");
		assertThat(chunks).hasSizeGreaterThan(1);
	}

	@OnBothImages
	void everyByteValueAndTheMarkersOwnStartPassThrough(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		// All 256 byte values through od-free printf, including \001 and what looks like the start of a marker.
		StringBuilder script = new StringBuilder("printf '");
		for (int b = 0; b < 256; b++) {
			script.append(String.format(Locale.ROOT, "\\%03o", b));
		}
		script.append("' | od -An -v -tx1 | tr -d ' \\n'; printf '\\001sandboxer-end:0:1\\001\\001sandboxer-'");
		CommandResult result = sandbox.runCommand(script.toString());

		StringBuilder expected = new StringBuilder();
		for (int b = 0; b < 256; b++) {
			expected.append(String.format(Locale.ROOT, "%02x", b));
		}
		assertThat(result.stdout()).isEqualTo(expected + "\u0001sandboxer-end:0:1\u0001\u0001sandboxer-");
		assertThat(result.exitCode()).isZero();
		assertThat(sandbox.runCommand("echo next").stdout()).isEqualTo("next\n");
	}

	@OnBothImages
	void binaryOutputIsDecodedAsTheExecPathDecodesIt(String image) {
		CommandResult result = this.sandboxes.of(image).runCommand("printf 'a\\377b\\000c\\303\\251'");

		assertThat(result.stdout()).isEqualTo("a\uFFFDb\u0000cé");
	}

	@OnBothImages
	void aCommandThatLeavesADaemonReturnsAndTheDaemonLivesOn(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		String tag = "36" + Math.abs(image.hashCode() % 100);

		CommandResult result = sandbox.runCommand(RunCommandRequest
			.builder("sleep " + tag + "1 >/dev/null 2>&1 & echo started")
			.timeout(Duration.ofSeconds(20))
			.build());

		assertThat(result.stdout()).isEqualTo("started\n");
		assertThat(result.durationMs()).isLessThan(10_000);
		assertThat(sandbox.listProcesses()).anyMatch((process) -> process.command().equals("sleep " + tag + "1"));
		// A later command killed at its timeout takes its own children only, not the daemon.
		sandbox.runCommand(RunCommandRequest.builder("sleep " + tag + "2").timeout(Duration.ofSeconds(1)).build());
		assertThat(sandbox.listProcesses()).anyMatch((process) -> process.command().equals("sleep " + tag + "1"))
			.noneMatch((process) -> process.command().equals("sleep " + tag + "2"));
	}

}
