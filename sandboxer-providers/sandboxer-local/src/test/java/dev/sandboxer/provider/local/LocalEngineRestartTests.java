package dev.sandboxer.provider.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The Docker daemon restarts while sandboxes exist and a command runs: the call in flight fails typed, and the same
 * client works again once the daemon is back, without a new client.
 * <p>
 * The daemon restarted is a private one, started here as {@code scripts/setup-docker.sh} starts the shared one
 * ({@code dockerd} in the background, log to a file) but with its own socket, data and state directories, its own
 * bridge interface (made here, on a private subnet) and no iptables changes: restarting the shared Engine would fail
 * whatever else runs on it meanwhile (other test classes, other builds). Never {@code --bridge none}: a daemon
 * started so deletes the host's {@code docker0}, which the shared Engine's containers need. The shared Engine is
 * never touched, so it keeps running whatever happens here; the private daemon is stopped, and its bridge and
 * directory removed, after the test, also when it fails. Needs root, {@code dockerd} and {@code ip}, as CI has;
 * skipped elsewhere.
 */
class LocalEngineRestartTests {

	private static final Duration DAEMON_START = Duration.ofSeconds(60);

	private Path directory;

	private String bridge;

	private Process daemon;

	@BeforeEach
	void startPrivateDaemon() throws Exception {
		assumeThat(System.getProperty("user.name")).as("a private dockerd needs root").isEqualTo("root");
		assumeThat(onPath("dockerd")).as("dockerd is installed").isTrue();
		assumeThat(onPath("ip")).as("ip (iproute2) is installed").isTrue();
		String name = UUID.randomUUID().toString().substring(0, 8);
		// Unix socket paths are short (108 bytes): a short directory under /tmp.
		this.directory = Files.createDirectories(Path.of("/tmp", "sbx-" + name));
		this.bridge = "sbx" + name;
		int subnet = 100 + (name.hashCode() & 0x7f);
		run("ip", "link", "add", "name", this.bridge, "type", "bridge");
		run("ip", "addr", "add", "10.254." + subnet + ".1/24", "dev", this.bridge);
		run("ip", "link", "set", this.bridge, "up");
		this.daemon = startDaemon();
		awaitDaemon();
		loadTestImage();
	}

	@AfterEach
	void stopPrivateDaemon() throws Exception {
		if (this.daemon != null) {
			stopDaemon();
		}
		if (this.bridge != null) {
			run("ip", "link", "del", this.bridge);
		}
		if (this.directory != null) {
			run("rm", "-rf", this.directory.toString());
		}
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).inheritIO().start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	@Test
	void aCallInFlightFailsTypedAndTheSameClientWorksAfterTheRestart() throws Exception {
		ProviderConfig config = ProviderConfig.builder()
			.extra("docker-host", socket())
			.extra("image", LocalTestSandboxes.BUSYBOX)
			.build();
		try (Sandboxer sandboxer = Sandboxer.builder("local").config(config).build()) {
			Sandbox before = sandboxer.createSandbox(CreateSandboxRequest.builder().timeout(Duration.ofMinutes(10)).build());
			CompletableFuture<CommandResult> inFlight = before.async()
				.runCommand(RunCommandRequest.builder("echo started; sleep 120").timeout(Duration.ofMinutes(5)).build());
			await().atMost(Duration.ofSeconds(20)).until(() -> before.listProcesses()
				.stream()
				.anyMatch((process) -> process.command().contains("sleep 120")));

			// Several calls at once leave several idle connections in the pools, as any busy client has.
			CompletableFuture.allOf(java.util.stream.IntStream.range(0, 8)
				.mapToObj((i) -> before.async().exists("/tmp/" + i))
				.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			CompletableFuture.allOf(java.util.stream.IntStream.range(0, 4)
				.mapToObj((i) -> before.async().runCommand("echo " + i))
				.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

			stopDaemon();
			Throwable failure = catchThrowable(() -> inFlight.get(60, TimeUnit.SECONDS));
			assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SandboxerException.class);

			this.daemon = startDaemon();
			awaitDaemon();

			// The first calls after the restart meet the connections the old daemon closed, idle in the pools.
			assertThat(sandboxer.ping()).containsKey("engineVersion");
			assertThatThrownBy(() -> before.runCommand("true")).as("the daemon stopped its containers")
				.isInstanceOf(NotFoundException.class);
			Sandbox after = sandboxer.createSandbox(CreateSandboxRequest.builder().timeout(Duration.ofMinutes(10)).build());
			assertThat(after.runCommand("echo back").stdout()).isEqualTo("back\n");
			after.writeFile("/tmp/x", new byte[] { 1, 2 });
			assertThat(after.readFile("/tmp/x")).containsExactly(1, 2);
		}
	}

	private Process startDaemon() throws IOException {
		return new ProcessBuilder("dockerd", "--host", socket(), "--data-root", this.directory.resolve("data").toString(),
				"--exec-root", this.directory.resolve("x").toString(), "--pidfile",
				this.directory.resolve("dockerd.pid").toString(), "--bridge", this.bridge, "--iptables=false",
				"--ip-masq=false", "--ip6tables=false")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("dockerd.log").toFile()))
			.start();
	}

	/** SIGTERM, as a service manager stops it; the daemon stops its containers on the way out. */
	private void stopDaemon() throws InterruptedException {
		Process running = this.daemon;
		this.daemon = null;
		running.destroy();
		if (!running.waitFor(60, TimeUnit.SECONDS)) {
			running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	private void awaitDaemon() {
		await().atMost(DAEMON_START).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
			try (DockerClient client = privateClient()) {
				client.pingCmd().exec();
				return true;
			}
		});
	}

	/** The test image, copied from the shared Engine (no registry is needed). */
	private void loadTestImage() throws IOException {
		try (LocalTestSandboxes shared = new LocalTestSandboxes();
				InputStream image = shared.docker().saveImageCmd(LocalTestSandboxes.BUSYBOX).exec();
				DockerClient client = privateClient()) {
			client.loadImageCmd(image).exec();
		}
	}

	private DockerClient privateClient() {
		return DockerClientImpl.getInstance(
				DefaultDockerClientConfig.createDefaultConfigBuilder().withApiVersion("1.41").withDockerHost(socket()).build(),
				new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(socket())).build());
	}

	private String socket() {
		return "unix://" + this.directory.resolve("docker.sock");
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		return path != null && List.of(path.split(File.pathSeparator))
			.stream()
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, program)));
	}

}
