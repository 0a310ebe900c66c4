package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.AsyncSandbox;
import dev.sandboxer.Sandbox;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Timeouts, cancellation and the library's own processes, against a real Docker Engine: what is killed is looked
 * for both through {@code listProcesses} and through the Engine's own {@code top} (host {@code ps}), so that a
 * listing that hides too much cannot make a test pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalReliabilityTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = LocalTestSandboxes.withSessions(sessions());

	/** Whether commands go through sessions here; a subclass runs every test again through exec. */
	boolean sessions() {
		return true;
	}

	private final DockerClient docker = this.sandboxes.docker();

	static Stream<Arguments> imagesAndUsers() {
		return Stream.of(LocalTestSandboxes.BUSYBOX, LocalTestSandboxes.DEBIAN)
			.flatMap((image) -> Stream.of("root", "nobody", "65534", "1234").map((user) -> Arguments.of(image, user)));
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("imagesAndUsers")
	void theTimeoutKillsTheCommandAndItsChildrenWhateverItsUser(String image, String user) {
		Sandbox sandbox = this.sandboxes.of(image);
		String tag = "31" + Math.abs(user.hashCode() % 1000);

		CommandResult result = sandbox.runCommand(RunCommandRequest
			.builder("sleep " + tag + "1 & sleep " + tag + "2")
			.user(user)
			.timeout(Duration.ofSeconds(1))
			.build());

		assertThat(result.timedOut()).isTrue();
		assertThat(hostProcesses(sandbox.id())).noneMatch((line) -> line.contains("sleep " + tag));
		assertThat(sandbox.listProcesses()).noneMatch((process) -> process.command().contains("sleep " + tag));
	}

	@Test
	void cancellingARunningCommandKillsItInsideTheContainer() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.DEBIAN);
		AsyncSandbox async = sandbox.async();

		CompletableFuture<CommandResult> running = async.runCommand(RunCommandRequest.builder("sleep 3301 & sleep 3302")
			.user("nobody")
			.timeout(Duration.ofMinutes(5))
			.build());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().anyMatch((line) -> line.contains("sleep 3302")));
		running.cancel(true);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().noneMatch((line) -> line.contains("sleep 330")));
	}

	@Test
	void aCancelledWaitIsInterruptedAndACancelledQueuedCallNeverRuns() throws Exception {
		try (DockerEngine engine = new DockerEngine(LocalSettings.from(ProviderConfig.builder().build()))) {
			CountDownLatch running = new CountDownLatch(DockerEngine.MAX_THREADS);
			CountDownLatch release = new CountDownLatch(1);
			AtomicBoolean interrupted = new AtomicBoolean();
			CompletableFuture<Object> wait = engine.callInterruptibly("a wait", (client) -> {
				running.countDown();
				try {
					Thread.sleep(60_000);
				}
				catch (InterruptedException ex) {
					interrupted.set(true);
				}
				return null;
			});
			for (int i = 1; i < DockerEngine.MAX_THREADS; i++) {
				engine.call("a blocked call", (client) -> {
					running.countDown();
					return release.await(60, TimeUnit.SECONDS);
				});
			}
			assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
			AtomicBoolean ran = new AtomicBoolean();
			CompletableFuture<Object> queued = engine.call("a queued call", (client) -> ran.getAndSet(true));

			queued.cancel(true);
			wait.cancel(true);

			await().atMost(Duration.ofSeconds(10)).untilTrue(interrupted);
			release.countDown();
			engine.call("a later call", (client) -> null).get(30, TimeUnit.SECONDS);
			assertThat(ran).as("the cancelled call waited in the queue and never ran").isFalse();
		}
	}

	@OnBothImages
	void listingLeavesOutTheLibrarysOwnProcessesButShowsTheUsers(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		CommandHandle background = sandbox.startCommand(StartCommandRequest.of("sleep 3401"));
		CompletableFuture<CommandResult> foreground = sandbox.async()
			.runCommand(RunCommandRequest.builder("sleep 3402").timeout(Duration.ofMinutes(1)).build());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().anyMatch((line) -> line.contains("sleep 3402")));

		List<ProcessInfo> processes = sandbox.listProcesses();

		assertThat(processes).noneMatch((process) -> process.command().contains("\n"))
			.noneMatch((process) -> process.pid() != 1 && process.command().contains("sandboxer-"))
			.noneMatch((process) -> process.command().equals("sleep infinity"))
			.anyMatch((process) -> process.pid() == background.pid() && process.command().contains("sleep 3401"))
			.anyMatch((process) -> process.command().contains("sleep 3402"))
			.anySatisfy((process) -> {
				assertThat(process.pid()).isEqualTo(1);
				assertThat(process.command()).contains("docker-init");
			});
		assertThat(hostProcesses(sandbox.id())).as("the keeper is there, only not listed")
			.anyMatch((line) -> line.contains("sandboxer-lifetime"));
		foreground.cancel(true);
		sandbox.kill();
	}

	@OnBothImages
	void killingWithAGracePeriodSendsTermFirstAndKillWhenItIsIgnored(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		CommandHandle polite = sandbox.startCommand(StartCommandRequest
			.of("trap 'echo terminated >/tmp/polite-" + image.hashCode() + "; exit 0' TERM; while :; do sleep 1; done"));
		CommandHandle stubborn = sandbox.startCommand(StartCommandRequest.of("trap '' TERM; sleep 3501"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> hostProcesses(sandbox.id()).stream().anyMatch((line) -> line.contains("sleep 3501")));

		sandbox.killProcess(polite.pid(), Duration.ofSeconds(20));
		sandbox.killProcess(stubborn.pid(), Duration.ofMillis(500));

		assertThat(sandbox.readFile("/tmp/polite-" + image.hashCode())).asString().isEqualTo("terminated\n");
		assertThat(sandbox.waitForHandle(polite.handleId()).exitCode()).isZero();
		assertThat(sandbox.waitForHandle(stubborn.handleId()).exitCode()).as("killed by SIGKILL").isEqualTo(137);
		assertThat(hostProcesses(sandbox.id())).noneMatch((line) -> line.contains("sleep 3501"));
	}

	/** The processes of a container as the Engine's host sees them ({@code docker top}). */
	private List<String> hostProcesses(String containerId) {
		String[][] rows = this.docker.topContainerCmd(containerId).withPsArgs("-o pid,args").exec().getProcesses();
		return (rows != null) ? Stream.of(rows).map((row) -> String.join(" ", row)).toList() : List.of();
	}


}
