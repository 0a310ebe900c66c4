package dev.sandboxer.provider.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands through the in-sandbox session against a real Docker Engine: what only the session path can get wrong
 * (framing, many commands on few sessions, a session that dies) and that it really spares the Engine an exec. Process
 * starts are counted from the Engine's own {@code exec_create} events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalSessionTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	private final DockerClient docker = this.sandboxes.docker();

	@OnBothImages
	void commandsAfterTheFirstStartNoProcessThroughTheEngine(String image) throws Exception {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand("true");
		Instant from = Instant.now();

		for (int i = 0; i < 20; i++) {
			assertThat(sandbox.runCommand("echo " + i).stdout()).isEqualTo(i + "\n");
		}

		assertThat(execsBetween(sandbox.id(), from, Instant.now())).isZero();
		sandbox.kill();
	}

	@OnBothImages
	void aCommandLongerThanASocketWriteGoesThroughTheSessionWhole(String image) throws Exception {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand("true");
		Instant from = Instant.now();
		// Over the 16 KiB a session writes on the caller's thread, with a quote and a newline inside.
		String word = "a'b\n".repeat(10_000);
		String command = "printf %s '" + word.replace("'", "'\\''") + "' | wc -c";

		assertThat(sandbox.runCommand(command).stdout().strip()).isEqualTo(Integer.toString(word.length()));
		assertThat(sandbox.runCommand("echo next").stdout()).isEqualTo("next\n");
		assertThat(execsBetween(sandbox.id(), from, Instant.now())).isZero();
		sandbox.kill();
	}

	@OnBothImages
	void sessionOffRunsEveryCommandThroughExec(String image) throws Exception {
		try (LocalTestSandboxes plain = new LocalTestSandboxes(ProviderConfig.builder().extra("session", "false").build())) {
			Sandbox sandbox = plain.create(plain.request(image).build());
			sandbox.runCommand("true");
			Instant from = Instant.now();

			for (int i = 0; i < 5; i++) {
				sandbox.runCommand("echo " + i);
			}

			assertThat(execsBetween(sandbox.id(), from, Instant.now())).isEqualTo(5);
		}
	}

	@OnBothImages
	void aSessionKilledFromInsideMidCommandEndsThatCommandAndTheNextOneRunsAsUsual(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand(RunCommandRequest.builder("true").user("nobody").build());

		// kill -9 -1 as nobody: every process of nobody's goes, the session and the command's wrapper with them.
		CommandResult killer = sandbox.runCommand(
				RunCommandRequest.builder("echo before; kill -9 -1; echo after").user("nobody").build());

		assertThat(killer.stdout()).startsWith("before\n");
		assertThat(killer.timedOut()).isFalse();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(sandbox
				.runCommand(RunCommandRequest.builder("echo $(id -u) again").user("nobody").build())
				.stdout()).isEqualTo("65534 again\n"));
		assertThat(sandbox.runCommand("echo root").stdout()).isEqualTo("root\n");
		sandbox.kill();
	}

	@OnBothImages
	void aSessionKilledByRootWhileACommandRunsLetsTheCommandFinishWithItsCode(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand("true");
		CompletableFuture<CommandResult> running = sandbox.async()
			.runCommand(RunCommandRequest.builder("echo one; sleep 2; echo two; exit 4").timeout(Duration.ofSeconds(30)).build());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> hostProcesses(sandbox.id()).stream().anyMatch((line) -> line.contains("sleep 2")));

		// Every session of the sandbox killed from outside the library, while the command runs.
		this.docker.execStartCmd(this.docker.execCreateCmd(sandbox.id())
			.withUser("0")
			.withCmd("sh", "-c", "for d in /proc/[0-9]*; do tr '\\0' ' ' <$d/cmdline 2>/dev/null | grep -q '^sh -c .* sandboxer-session:' && kill -9 ${d#/proc/}; done")
			.exec()
			.getId()).exec(new ResultCallback.Adapter<>());

		CommandResult result = running.join();
		assertThat(result.stdout()).isEqualTo("one\ntwo\n");
		assertThat(result.exitCode()).isEqualTo(4);
		assertThat(sandbox.runCommand("echo next").stdout()).isEqualTo("next\n");
		sandbox.kill();
	}

	@Test
	void aSandboxWithoutSetsidRunsCommandsThroughExec() throws Exception {
		// BusyBox's sh finds its own applets without a link, so the Debian image is the one that can lose setsid.
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.DEBIAN).build());
		CommandResult removed = sandbox.runCommand("rm \"$(command -v setsid)\" && echo removed");
		assertThat(removed.stdout()).isEqualTo("removed\n");
		try (LocalTestSandboxes fresh = new LocalTestSandboxes()) {
			Sandbox attached = fresh.sandboxer.attachSandbox(sandbox.id());
			Instant from = Instant.now();

			assertThat(attached.runCommand("echo one").stdout()).isEqualTo("one\n");
			assertThat(attached.runCommand("echo two").stdout()).isEqualTo("two\n");

			assertThat(execsBetween(sandbox.id(), from, Instant.now())).as("one failed session, then an exec each")
				.isEqualTo(3);
		}
		sandbox.kill();
	}

	@OnBothImages
	void listingShowsNoSessionAndKillLeavesNothing(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		CompletableFuture<CommandResult> running = sandbox.async()
			.runCommand(RunCommandRequest.builder("sleep 3701").timeout(Duration.ofMinutes(1)).build());
		sandbox.runCommand(RunCommandRequest.builder("true").user("nobody").build());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().anyMatch((line) -> line.contains("sleep 3701")));

		assertThat(hostProcesses(sandbox.id())).as("the sessions are there").anyMatch((line) -> line.contains("sandboxer-session"));
		assertThat(sandbox.listProcesses()).noneMatch((process) -> process.pid() != 1 && process.command().contains("sandboxer"))
			.anyMatch((process) -> process.command().equals("sleep 3701"));
		running.cancel(true);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().noneMatch((line) -> line.contains("sleep 3701")));
		assertThat(sandbox.runCommand("ls -a /tmp /run").stdout()).doesNotContain("session");
		sandbox.kill();
		assertThat(this.sandboxes.containerExists(sandbox.id())).isFalse();
	}

	@OnBothImages
	void closingTheClientEndsItsSessionsInsideTheSandbox(String image) {
		String id;
		try (LocalTestSandboxes other = new LocalTestSandboxes()) {
			Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
			id = sandbox.id();
			Sandbox attached = other.sandboxer.attachSandbox(id);
			List<CompletableFuture<CommandResult>> four = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				four.add(attached.async().runCommand(RunCommandRequest.of("sleep 0.5; echo " + i)));
			}
			four.forEach(CompletableFuture::join);
			attached.runCommand(RunCommandRequest.builder("true").user("nobody").build());
			assertThat(hostProcesses(id)).filteredOn((line) -> line.contains("sandboxer-session")).hasSizeGreaterThan(1);
		}
		// Closed with the try: the other client, its sessions with it; the sandbox is this instance's and stays.

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(hostProcesses(id)).noneMatch((line) -> line.contains("sandboxer-session")));
		this.sandboxes.sandboxer.killSandbox(id);
	}

	@OnBothImages
	void aCommandWhoseSessionDiesBeforeItPrintsAnythingIsNotRunASecondTime(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand(RunCommandRequest.builder("true").user("nobody").build());

		// Its agent and wrapper die with it, before a byte of its own: only the agent's start mark says it ran.
		CommandResult result = sandbox.runCommand(
				RunCommandRequest.builder("echo ran >>/tmp/runs; kill -9 -1").user("nobody").build());

		assertThat(result.exitCode()).isEqualTo(137);
		assertThat(sandbox.runCommand("cat /tmp/runs").stdout()).isEqualTo("ran\n");
		sandbox.kill();
	}

	@OnBothImages
	void aTimedOutCommandOfAnotherUserDiesWithItsChildrenAndItsSessionRunsTheNextCommand(String image)
			throws Exception {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		sandbox.runCommand(RunCommandRequest.builder("true").user("nobody").build());
		Instant from = Instant.now();

		// As nobody, the kill (run as root, without CAP_SYS_PTRACE) cannot read the environment: the command's own
		// session is what finds the orphaned child that cleared its environment.
		CommandResult result = sandbox.runCommand(RunCommandRequest
			.builder("echo started; (env -i sleep 3703 &); sleep 3704; echo never")
			.user("nobody")
			.timeout(Duration.ofSeconds(1))
			.build());

		assertThat(result.timedOut()).isTrue();
		assertThat(result.stdout()).isEqualTo("started\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(hostProcesses(sandbox.id())).noneMatch((line) -> line.contains("sleep 370")));
		assertThat(sandbox.runCommand(RunCommandRequest.builder("echo next").user("nobody").build()).stdout())
			.isEqualTo("next\n");
		assertThat(execsBetween(sandbox.id(), from, Instant.now())).as("the kill only: the session lived on")
			.isEqualTo(1);
		sandbox.kill();
	}

	@Test
	void sessionsLeftUnusedAreClosedButTheSandboxKeepsOne() throws Exception {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		List<CompletableFuture<CommandResult>> four = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			four.add(sandbox.async().runCommand(RunCommandRequest.of("sleep 0.5; echo " + i)));
		}
		four.forEach(CompletableFuture::join);
		assertThat(agents(sandbox.id())).isGreaterThan(1);

		await().atMost(CommandSessions.IDLE_CLOSE.multipliedBy(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> agents(sandbox.id()) == 1);
		Instant from = Instant.now();
		assertThat(sandbox.runCommand("echo still").stdout()).isEqualTo("still\n");
		assertThat(execsBetween(sandbox.id(), from, Instant.now())).as("the one left took it").isZero();
		sandbox.kill();
	}

	private long agents(String containerId) {
		return hostProcesses(containerId).stream().filter((line) -> line.contains("sandboxer-session:")).count();
	}

	private long execsBetween(String containerId, Instant from, Instant to) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		this.docker.eventsCmd()
			.withContainerFilter(containerId)
			.withEventFilter("exec_create")
			.withSince(String.format(Locale.ROOT, "%d.%09d", from.getEpochSecond(), from.getNano()))
			.withUntil(String.format(Locale.ROOT, "%d.%09d", to.plusMillis(1).getEpochSecond(), to.plusMillis(1).getNano()))
			.exec(new ResultCallback.Adapter<Event>() {
				@Override
				public void onNext(Event event) {
					events.add(event);
				}
			})
			.awaitCompletion(30, TimeUnit.SECONDS);
		return events.size();
	}

	private List<String> hostProcesses(String containerId) {
		String[][] rows = this.docker.topContainerCmd(containerId).withPsArgs("-o pid,args").exec().getProcesses();
		return (rows != null) ? Stream.of(rows).map((row) -> String.join(" ", row)).toList() : List.of();
	}

}
