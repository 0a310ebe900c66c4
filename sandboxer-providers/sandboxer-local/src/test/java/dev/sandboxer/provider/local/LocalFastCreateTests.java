package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.spi.ProviderSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The fast create path (the Engine's socket without docker-java) against the real Engine, side by side with the
 * docker-java way it stands in for: the same request makes the same container, fails with the same typed errors,
 * and leaves nothing behind when cancelled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalFastCreateTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	private final LocalSettings settings = LocalSettings.from(ProviderConfig.builder().build());

	private final LocalProvider fast = new LocalProvider(this.settings, true);

	private final LocalProvider dockerJava = new LocalProvider(this.settings, false);

	@AfterAll
	void closeProviders() {
		this.fast.close();
		this.dockerJava.close();
	}

	@Test
	void theDefaultSocketTakesTheFastPathAndATcpHostDoesNot() {
		assertThat(this.fast.createsOverSocket()).isTrue();
		assertThat(this.dockerJava.createsOverSocket()).isFalse();
		try (LocalProvider tcp = new LocalProvider(
				LocalSettings.from(ProviderConfig.builder().extra("docker-host", "tcp://127.0.0.1:2375").build()))) {
			assertThat(tcp.createsOverSocket()).isFalse();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { LocalTestSandboxes.BUSYBOX, LocalTestSandboxes.DEBIAN })
	void bothWaysMakeTheSameContainer(String image) throws Exception {
		CreateSandboxRequest request = this.sandboxes.request(image)
			.metadata("owner key", "ünïcode \"quoted\" \\ value\nwith a newline")
			.metadata("team", "a&b=c")
			.env("GREETING", "hello \"world\" \\ $HOME é 😀")
			.env("EMPTY", "")
			.env("MULTI", "line one\nline two\ttab")
			.timeout(Duration.ofMinutes(15))
			.cpus(1)
			.memoryMb(128)
			.ports(8080, 3000)
			.build();
		ProviderSandbox madeFast = this.fast.createSandbox(request).get(60, TimeUnit.SECONDS);
		ProviderSandbox madeByDockerJava = this.dockerJava.createSandbox(request).get(60, TimeUnit.SECONDS);
		try {
			DockerClient docker = this.sandboxes.docker();
			InspectContainerResponse one = docker.inspectContainerCmd(madeFast.id()).exec();
			InspectContainerResponse other = docker.inspectContainerCmd(madeByDockerJava.id()).exec();

			Map<String, String> labels = new TreeMap<>(one.getConfig().getLabels());
			Map<String, String> otherLabels = new TreeMap<>(other.getConfig().getLabels());
			// The deadline is a time, taken by each create as it ran.
			assertThat(labels.remove(SandboxLabels.EXPIRES_AT)).isNotNull();
			assertThat(otherLabels.remove(SandboxLabels.EXPIRES_AT)).isNotNull();
			assertThat(labels).isEqualTo(otherLabels)
				.containsEntry(SandboxLabels.META_PREFIX + SandboxLabels.encodeKey("owner key"),
						"ünïcode \"quoted\" \\ value\nwith a newline");
			assertThat(one.getConfig().getEnv()).containsExactlyInAnyOrder(other.getConfig().getEnv())
				.contains("GREETING=hello \"world\" \\ $HOME é 😀", "MULTI=line one\nline two\ttab", "EMPTY=");
			assertThat(one.getConfig().getEntrypoint()).containsExactly(other.getConfig().getEntrypoint())
				.containsExactlyElementsOf(LifetimeKeeper.ENTRYPOINT);
			assertThat(one.getConfig().getCmd()).containsExactly(other.getConfig().getCmd()).containsExactly("900",
					LifetimeKeeper.DEADLINE_FILE);
			// docker-java's model has no stop signal: read from the Engine's own answer.
			assertThat(stopSignal(madeFast.id())).isEqualTo(stopSignal(madeByDockerJava.id()))
				.isEqualTo(LifetimeKeeper.STOP_SIGNAL);
			assertThat(Arrays.asList(one.getConfig().getExposedPorts()))
				.containsExactlyInAnyOrderElementsOf(Arrays.asList(other.getConfig().getExposedPorts()))
				.containsExactlyInAnyOrder(ExposedPort.tcp(8080), ExposedPort.tcp(3000));

			HostConfig host = one.getHostConfig();
			HostConfig otherHost = other.getHostConfig();
			assertThat(host.getInit()).isEqualTo(otherHost.getInit()).isTrue();
			assertThat(host.getAutoRemove()).isEqualTo(otherHost.getAutoRemove()).isTrue();
			assertThat(host.getNanoCPUs()).isEqualTo(otherHost.getNanoCPUs()).isEqualTo(1_000_000_000L);
			assertThat(host.getMemory()).isEqualTo(otherHost.getMemory()).isEqualTo(128L * 1024 * 1024);
			assertThat(host.getMemorySwap()).isEqualTo(otherHost.getMemorySwap()).isEqualTo(128L * 1024 * 1024);
			assertThat(bindings(host.getPortBindings())).isEqualTo(bindings(otherHost.getPortBindings()))
				.containsEntry("8080/tcp", List.of("127.0.0.1:")).containsEntry("3000/tcp", List.of("127.0.0.1:"));
			assertThat(one.getState().getRunning()).isTrue();

			SandboxInfo info = madeFast.info().get(30, TimeUnit.SECONDS);
			SandboxInfo otherInfo = madeByDockerJava.info().get(30, TimeUnit.SECONDS);
			assertThat(info.metadata()).isEqualTo(otherInfo.metadata()).isEqualTo(request.metadata());
			assertThat(info.cpus()).isEqualTo(otherInfo.cpus()).isEqualTo(1);
			assertThat(info.memoryMb()).isEqualTo(otherInfo.memoryMb()).isEqualTo(128);
			assertThat(info.template()).isEqualTo(otherInfo.template()).isEqualTo(image);
			assertThat(Duration.between(info.expiresAt(), otherInfo.expiresAt()).abs()).isLessThan(Duration.ofMinutes(1));
			// The image's working directory, read by each way's image inspect, is where relative paths start.
			assertThat(pwd(madeFast)).isEqualTo(pwd(madeByDockerJava));
			assertThat(madeFast.portUrl(8080).get(30, TimeUnit.SECONDS)).startsWith("http://127.0.0.1:");
		}
		finally {
			madeFast.kill().get(30, TimeUnit.SECONDS);
			madeByDockerJava.kill().get(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void anImageThatCannotBePulledFailsTypedAndLeavesNoContainer() {
		String run = UUID.randomUUID().toString();
		CreateSandboxRequest request = this.sandboxes.request("sandboxer-test/never-built-" + run + ":latest")
			.metadata("fast-create", run)
			.build();
		SandboxerException fastError = failure(this.fast.createSandbox(request));
		SandboxerException dockerJavaError = failure(this.dockerJava.createSandbox(request));
		assertThat(fastError).isInstanceOf(ProviderException.class)
			.hasMessageContaining("could not be pulled")
			.hasMessageContaining("never-built-" + run);
		assertThat(((ProviderException) fastError).code()).contains("image-unavailable");
		assertThat(fastError.getClass()).isEqualTo(dockerJavaError.getClass());
		assertThat(containers("fast-create", run)).isEmpty();
	}

	@Test
	void aSocketThatDoesNotExistFailsTypedNamingTheHost() {
		String host = "unix:///tmp/sandboxer-no-engine-" + UUID.randomUUID() + "/docker.sock";
		LocalSettings missing = LocalSettings
			.from(ProviderConfig.builder().extra("docker-host", host).extra("api-version", "1.41").build());
		try (LocalProvider fastToNothing = new LocalProvider(missing, true);
				LocalProvider dockerJavaToNothing = new LocalProvider(missing, false)) {
			assertThat(fastToNothing.createsOverSocket()).isTrue();
			CreateSandboxRequest request = this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build();
			SandboxerException fastError = failure(fastToNothing.createSandbox(request));
			SandboxerException dockerJavaError = failure(dockerJavaToNothing.createSandbox(request));
			assertThat(fastError).isInstanceOf(ProviderConnectionException.class).hasMessageContaining(host);
			assertThat(dockerJavaError).isInstanceOf(ProviderConnectionException.class).hasMessageContaining(host);
			// Also without an api-version, when the first thing asked is the version.
			try (LocalProvider asking = new LocalProvider(
					LocalSettings.from(ProviderConfig.builder().extra("docker-host", host).build()), true)) {
				assertThat(failure(asking.createSandbox(request))).isInstanceOf(ProviderConnectionException.class)
					.hasMessageContaining(host);
			}
		}
	}

	@Test
	void theEnginesRefusalsAreTypedWithItsMessageAsOnTheDockerJavaWay() {
		String run = UUID.randomUUID().toString();
		int tooMany = Runtime.getRuntime().availableProcessors() + 64;
		for (CreateSandboxRequest request : List.of(
				this.sandboxes.request(LocalTestSandboxes.BUSYBOX).metadata("fast-create", run).cpus(tooMany).build(),
				this.sandboxes.request(LocalTestSandboxes.BUSYBOX).metadata("fast-create", run).memoryMb(1).build())) {
			SandboxerException fastError = failure(this.fast.createSandbox(request));
			SandboxerException dockerJavaError = failure(this.dockerJava.createSandbox(request));
			assertThat(fastError).isInstanceOf(ProviderException.class)
				.hasMessageContaining("The Docker Engine failed on a sandbox from image")
				.hasMessageContaining((request.cpus() != null) ? "CPU" : "emory");
			assertThat(fastError.getClass()).isEqualTo(dockerJavaError.getClass());
			assertThat(fastError.getMessage()).isEqualTo(dockerJavaError.getMessage());
			assertThat(((ProviderException) fastError).status()).isEqualTo(((ProviderException) dockerJavaError).status())
				.isPresent();
		}
		assertThat(containers("fast-create", run)).isEmpty();
	}

	@Test
	void anImageNameTheEngineRefusesFailsAsOnTheDockerJavaWay() {
		CreateSandboxRequest request = this.sandboxes.request("Upper/Case:Not-Valid").build();
		SandboxerException fastError = failure(this.fast.createSandbox(request));
		SandboxerException dockerJavaError = failure(this.dockerJava.createSandbox(request));
		assertThat(fastError).isInstanceOf(ProviderException.class).hasMessageContaining("Upper/Case:Not-Valid");
		assertThat(fastError.getClass()).isEqualTo(dockerJavaError.getClass());
		assertThat(fastError.getMessage()).isEqualTo(dockerJavaError.getMessage());
	}

	@Test
	void aCancelledCreateLeavesNoContainerWhenEverTheCancelComes() throws Exception {
		String run = UUID.randomUUID().toString();
		for (int attempt = 0; attempt < 12; attempt++) {
			CompletableFuture<ProviderSandbox> creating = this.fast
				.createSandbox(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).metadata("fast-create", run).build());
			// From at once to after the container exists: each step of the create is met by some attempt.
			Thread.sleep(attempt * 25L);
			if (!creating.cancel(true)) {
				creating.get(60, TimeUnit.SECONDS).kill().get(30, TimeUnit.SECONDS);
			}
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> containers("fast-create", run).isEmpty());
	}

	private List<String> containers(String key, String value) {
		Map<String, String> label = Map.of(SandboxLabels.META_PREFIX + SandboxLabels.encodeKey(key), value);
		return this.sandboxes.docker()
			.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(label)
			.exec()
			.stream()
			.map((container) -> container.getId())
			.toList();
	}

	private static Map<String, List<String>> bindings(Ports ports) {
		Map<String, List<String>> flat = new TreeMap<>();
		ports.getBindings()
			.forEach((port, bound) -> flat.put(port.toString(), (bound == null) ? List.of()
					: Arrays.stream(bound)
						.map((binding) -> binding.getHostIp() + ":" + String.valueOf(binding.getHostPortSpec())
							.replace("null", ""))
						.toList()));
		return flat;
	}

	private static String stopSignal(String containerId) throws Exception {
		HttpAnswer answer = new UnixSocketExchange(java.nio.file.Path.of("/var/run/docker.sock"), Duration.ofSeconds(10),
				Duration.ofSeconds(30), SocketEngineCalls.MAX_ANSWER)
			.exchange("GET", "/v1.41/containers/" + containerId + "/json", null);
		assertThat(answer.status()).isEqualTo(200);
		return EngineJson.text(answer.body(), "Config", "StopSignal");
	}

	private static String pwd(ProviderSandbox sandbox) throws Exception {
		return sandbox.runCommand(RunCommandRequest.of("pwd"), CommandOutputListener.NONE)
			.get(60, TimeUnit.SECONDS)
			.stdout()
			.strip();
	}

	private static SandboxerException failure(CompletableFuture<ProviderSandbox> creating) {
		Throwable thrown = catchThrowable(() -> creating.get(120, TimeUnit.SECONDS));
		assertThat(thrown).isInstanceOf(ExecutionException.class);
		assertThat(thrown.getCause()).isInstanceOf(SandboxerException.class);
		return (SandboxerException) thrown.getCause();
	}

}
