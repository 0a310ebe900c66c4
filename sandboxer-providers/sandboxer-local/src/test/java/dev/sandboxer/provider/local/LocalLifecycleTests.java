package dev.sandboxer.provider.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.model.StartCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Create, list, attach, info, pause, kill, ports and lifetime against a real Docker Engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalLifecycleTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	private final DockerClient docker = this.sandboxes.docker();

	@Test
	void createsAContainerWithTheLabelsResourcesAndLifetimeAskedFor() {
		CreateSandboxRequest request = this.sandboxes.request(LocalTestSandboxes.BUSYBOX)
			.metadata("team", "agents")
			.metadata("odd key/with space", "ü value")
			.cpus(1)
			.memoryMb(128)
			.timeout(Duration.ofMinutes(10))
			.build();

		try (Sandbox sandbox = this.sandboxes.create(request)) {
			InspectContainerResponse container = this.docker.inspectContainerCmd(sandbox.id()).exec();
			Map<String, String> labels = container.getConfig().getLabels();

			assertThat(labels).containsEntry("sandboxer.managed", "true")
				.containsEntry("sandboxer.provider", "local")
				.containsEntry("sandboxer.meta.team", "agents")
				.containsEntry("sandboxer.meta.odd%20key%2Fwith%20space", "ü value");
			assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
			assertThat(container.getHostConfig().getMemory()).isEqualTo(128L * 1024 * 1024);
			assertThat(container.getHostConfig().getAutoRemove()).isTrue();
			assertThat(container.getHostConfig().getInit()).isTrue();
			assertThat(container.getConfig().getEntrypoint()).containsExactlyElementsOf(LifetimeKeeper.ENTRYPOINT);
			assertThat(container.getConfig().getCmd()).containsExactly("600", "/run/sandboxer/deadline");
			assertThat(labels).containsEntry("sandboxer.deadline-file", "/run/sandboxer/deadline");
			SandboxInfo info = sandbox.info();
			assertThat(info.metadata()).containsEntry("odd key/with space", "ü value").containsEntry("team", "agents");
			assertThat(info.template()).isEqualTo(LocalTestSandboxes.BUSYBOX);
			assertThat(info.status()).isEqualTo(SandboxStatus.RUNNING);
			assertThat(info.cpus()).isEqualTo(1);
			assertThat(info.memoryMb()).isEqualTo(128);
			assertThat(info.expiresAt()).isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(601));
			assertThat(sandbox.initialInfo().expiresAt()).isEqualTo(info.expiresAt());
		}
	}

	@Test
	void listsWithOneCallFilteringOnExactMetadataAndLimit() {
		String run = "list-" + System.nanoTime();
		Sandbox a = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX)
			.metadata("run", run)
			.metadata("colour", "red")
			.build());
		Sandbox b = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX)
			.metadata("run", run)
			.metadata("colour", "red, really")
			.build());
		Sandbox c = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.DEBIAN).metadata("run", run).build());
		c.pause();
		try {
			List<SandboxInfo> all = this.sandboxes.sandboxer
				.listSandboxes(ListSandboxesFilter.builder().metadata("run", run).build());
			List<SandboxInfo> red = this.sandboxes.sandboxer
				.listSandboxes(ListSandboxesFilter.builder().metadata("run", run).metadata("colour", "red").build());
			List<SandboxInfo> limited = this.sandboxes.sandboxer
				.listSandboxes(ListSandboxesFilter.builder().metadata("run", run).limit(2).build());

			assertThat(all).extracting(SandboxInfo::id).containsExactlyInAnyOrder(a.id(), b.id(), c.id());
			assertThat(red).extracting(SandboxInfo::id).containsExactly(a.id());
			assertThat(limited).hasSize(2);
			SandboxInfo paused = all.stream().filter((info) -> info.id().equals(c.id())).findFirst().orElseThrow();
			assertThat(paused.status()).isEqualTo(SandboxStatus.PAUSED);
			assertThat(paused.template()).isEqualTo(LocalTestSandboxes.DEBIAN);
			assertThat(paused.metadata()).containsEntry("run", run);
			assertThat(paused.startedAt()).isBefore(Instant.now().plusSeconds(1));
		}
		finally {
			c.resume();
		}
	}

	@Test
	void reportsAPausedSandboxAsPausedAndAttachesToIt() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		sandbox.pause();
		sandbox.pause();

		assertThat(sandbox.info().status()).isEqualTo(SandboxStatus.PAUSED);
		assertThat(sandbox.isRunning()).isFalse();
		Sandbox attached = this.sandboxes.sandboxer.attachSandbox(sandbox.id());
		assertThat(attached.initialInfo().status()).isEqualTo(SandboxStatus.PAUSED);

		attached.resume();
		attached.resume();
		assertThat(sandbox.isRunning()).isTrue();
		assertThat(sandbox.runCommand("echo back").stdout()).isEqualTo("back\n");
	}

	@Test
	void attachesByIdFromAnotherClientAndKillsById() {
		Sandbox created = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.DEBIAN).build());
		created.writeFile("/tmp/marker", "from the creator".getBytes());

		try (Sandboxer second = Sandboxer.builder("local").build()) {
			Sandbox attached = second.attachSandbox(created.id().substring(0, 12));
			assertThat(attached.id()).isEqualTo(created.id());
			assertThat(attached.readFile("/tmp/marker")).asString().isEqualTo("from the creator");

			second.killSandbox(created.id());

			assertThatThrownBy(() -> second.killSandbox(created.id())).isInstanceOf(NotFoundException.class);
			assertThatThrownBy(() -> second.attachSandbox(created.id())).isInstanceOf(NotFoundException.class);
			assertThatThrownBy(created::info).isInstanceOf(NotFoundException.class);
			assertThatThrownBy(() -> created.runCommand("true")).isInstanceOf(NotFoundException.class);
		}
	}

	@Test
	void anUnknownIdOrAContainerThatIsNotASandboxIsNotFound() {
		String foreign = this.docker.createContainerCmd(LocalTestSandboxes.BUSYBOX)
			.withCmd("sleep", "120")
			.withLabels(Map.of(LocalTestSandboxes.OWNER_KEY, "foreign-container-of-local-tests"))
			.exec()
			.getId();
		try {
			this.docker.startContainerCmd(foreign).exec();

			assertThatThrownBy(() -> this.sandboxes.sandboxer.attachSandbox(foreign)).isInstanceOf(NotFoundException.class)
				.hasMessageContaining("not a sandbox");
			assertThatThrownBy(() -> this.sandboxes.sandboxer.killSandbox(foreign)).isInstanceOf(NotFoundException.class);
			assertThat(this.docker.inspectContainerCmd(foreign).exec().getState().getRunning()).isTrue();
			assertThatThrownBy(() -> this.sandboxes.sandboxer.attachSandbox("no-such-container-" + System.nanoTime()))
				.isInstanceOf(NotFoundException.class);
			assertThatThrownBy(() -> this.sandboxes.sandboxer.killSandbox("no-such-container-" + System.nanoTime()))
				.isInstanceOf(NotFoundException.class);
		}
		finally {
			this.docker.removeContainerCmd(foreign).withForce(true).exec();
		}
	}

	@Test
	void theEngineRemovesTheSandboxAtItsTimeoutWithoutThisClient() {
		String id;
		// The client that made it is closed at once (detached first, so close does not kill it).
		try (Sandboxer creator = Sandboxer.builder("local").build()) {
			Sandbox sandbox = creator.createSandbox(this.sandboxes.request(LocalTestSandboxes.BUSYBOX)
				.timeout(Duration.ofSeconds(3))
				.build());
			sandbox.detach();
			id = sandbox.id();
		}

		assertThat(this.sandboxes.sandboxer.attachSandbox(id).isRunning()).isTrue();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
				assertThat(this.sandboxes.containerExists(id)).isFalse());
		assertThatThrownBy(() -> this.sandboxes.sandboxer.attachSandbox(id)).isInstanceOf(NotFoundException.class);
	}

	@Test
	void publishesPortsOnLoopbackSoThatPortUrlReachesThem() throws Exception {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).port(8080).build());
		sandbox.writeFile("/tmp/www/index.html", "hello from the sandbox".getBytes());
		sandbox.startCommand(StartCommandRequest.of("httpd -f -p 8080 -h /tmp/www"));

		String url = sandbox.portUrl(8080);

		assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/index.html")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).isEqualTo("hello from the sandbox");
		});
		assertThatThrownBy(() -> sandbox.portUrl(9090)).isInstanceOf(NotFoundException.class)
			.hasMessageContaining("not published");
	}

	@Test
	void anImageThatCannotBePulledSaysSoAndHowToGetIt() {
		String image = "sandboxer-test/does-not-exist-" + System.nanoTime() + ":latest";

		assertThatThrownBy(() -> this.sandboxes.create(this.sandboxes.request(image).build()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("not present locally and could not be pulled")
			.hasMessageContaining("docker load");
	}

	@Test
	void refusesCreateOptionsItDoesNotKnow() {
		assertThatThrownBy(() -> this.sandboxes
			.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).option("autoPause", "true").build()))
			.isInstanceOf(BadConfigException.class)
			.hasMessageContaining("autoPause");
	}

	@Test
	void pingsTheEngineForHealthChecks() {
		Map<String, String> details = this.sandboxes.sandboxer.ping();

		assertThat(details).containsKeys("dockerHost", "engineVersion", "apiVersion");
		assertThat(details.get("apiVersion")).matches("1\\.\\d+");
	}

	@Test
	void anEngineThatIsNotThereIsAConnectionErrorNamingTheHost() {
		ProviderConfig nowhere = ProviderConfig.builder().extra("docker-host", "unix:///tmp/no-docker-here.sock").build();
		try (Sandboxer sandboxer = Sandboxer.builder("local").config(nowhere).build()) {
			assertThatThrownBy(sandboxer::ping).isInstanceOf(ProviderConnectionException.class)
				.hasMessageContaining("unix:///tmp/no-docker-here.sock");
		}
		assertThatThrownBy(() -> Sandboxer.builder("local")
			.config(ProviderConfig.builder().extra("docker-host", "http://not-a-docker-host").build())
			.build()).isInstanceOf(BadConfigException.class).hasMessageContaining("docker-host");
	}

	@Test
	void closingTheClientKillsWhatItCreatedButNotWhatItAttached() {
		Sandbox keep = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		String created;
		try (Sandboxer client = Sandboxer.builder("local").build()) {
			created = client.createSandbox(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build()).id();
			client.attachSandbox(keep.id());
		}

		assertThat(keep.isRunning()).isTrue();
		assertThatThrownBy(() -> this.sandboxes.sandboxer.attachSandbox(created)).isInstanceOf(NotFoundException.class);
	}

	@Test
	void pausedSandboxesRefuseCommandsWithAClearError() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		sandbox.pause();

		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.of("true"))).isInstanceOf(ProviderException.class)
			.hasMessageContaining("is paused: resume it");
		sandbox.resume();
	}

}
