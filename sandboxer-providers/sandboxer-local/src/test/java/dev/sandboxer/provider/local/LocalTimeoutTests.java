package dev.sandboxer.provider.local;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code setTimeout} against a real Docker Engine: the Engine, not this JVM, ends a sandbox at its moved deadline,
 * and {@code info} and {@code list} report it. Each sandbox that must end is made by a client that is closed before
 * the deadline, so nothing here can end it but the container itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalTimeoutTests {

	private static final Duration GONE_WITHIN = Duration.ofSeconds(30);

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	private final DockerClient docker = this.sandboxes.docker();

	@OnBothImages
	void shorteningALongTimeoutEndsTheSandboxWithoutThisClient(String image) {
		Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		String id = createAndLetGo(image, Duration.ofMinutes(15), Duration.ofSeconds(3));

		SandboxInfo info = this.sandboxes.sandboxer.attachSandbox(id).info();
		assertThat(info.status()).isEqualTo(SandboxStatus.RUNNING);
		assertThat(info.expiresAt()).isBetween(before.plusSeconds(3), Instant.now().plusSeconds(3));
		awaitGone(id);
	}

	@OnBothImages
	void lengtheningAShortTimeoutKeepsTheSandboxPastTheOldDeadline(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).timeout(Duration.ofSeconds(4)).build());
		Instant oldDeadline = sandbox.initialInfo().expiresAt();

		sandbox.setTimeout(Duration.ofMinutes(2));

		assertThat(sandbox.info().expiresAt()).isAfter(oldDeadline.plusSeconds(100));
		await().during(Duration.between(Instant.now(), oldDeadline.plusSeconds(3)))
			.atMost(Duration.ofSeconds(20))
			.until(() -> exists(sandbox.id()));
		assertThat(sandbox.runCommand("echo still here").stdout()).isEqualTo("still here\n");
		assertThat(sandbox.listProcesses()).filteredOn((process) -> process.command().startsWith("sleep "))
			.as("the keeper's old sleep was stopped, one sleep is left")
			.hasSize(1);
	}

	@Test
	void aSandboxWithoutATimeoutGetsOneThatInfoAndListReport() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).timeout(null).build());
		assertThat(sandbox.info().expiresAt()).isNull();
		Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

		sandbox.setTimeout(Duration.ofMinutes(10));

		Instant after = Instant.now();
		assertThat(sandbox.info().expiresAt()).isBetween(before.plusSeconds(600), after.plusSeconds(600));
		List<SandboxInfo> listed = this.sandboxes.sandboxer.listSandboxes(ListSandboxesFilter.builder()
			.metadata(this.sandboxes.ownerLabel().getKey(), this.sandboxes.ownerLabel().getValue())
			.build());
		assertThat(listed).filteredOn((info) -> info.id().equals(sandbox.id()))
			.singleElement()
			.satisfies((info) -> assertThat(info.expiresAt()).isEqualTo(sandbox.info().expiresAt()));
		try (Sandboxer other = Sandboxer.builder("local").build()) {
			assertThat(other.attachSandbox(sandbox.id()).initialInfo().expiresAt()).isEqualTo(sandbox.info().expiresAt());
		}
		assertThat(sandbox.initialInfo().expiresAt()).as("what was known when the handle was made").isNull();
		InspectContainerResponse container = this.docker.inspectContainerCmd(sandbox.id()).exec();
		assertThat(container.getName()).startsWith("/sandboxer-" + sandbox.id().substring(0, 12) + "-expires-");
		assertThat(sandbox.readFile(LifetimeKeeper.DEADLINE_FILE)).asString()
			.isEqualTo(LifetimeKeeper.epochSecondRoundedUp(sandbox.info().expiresAt()) + "\n");
	}

	@OnBothImages
	void aDeadlineMovedWhilePausedKeepsItPausedAndEndsItOnResume(String image) {
		String id;
		try (Sandboxer creator = Sandboxer.builder("local").build()) {
			Sandbox sandbox = creator.createSandbox(this.sandboxes.request(image).build());
			sandbox.detach();
			id = sandbox.id();
			sandbox.pause();
			sandbox.setTimeout(Duration.ofSeconds(1));
			assertThat(sandbox.info().status()).as("waking the keeper did not unpause it").isEqualTo(SandboxStatus.PAUSED);
		}

		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> exists(id));
		this.sandboxes.sandboxer.attachSandbox(id).resume();
		awaitGone(id);
	}

	@OnBothImages
	void theTimeoutOfAKilledSandboxIsNotFound(String image) {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());
		Sandbox attached = this.sandboxes.sandboxer.attachSandbox(sandbox.id());
		sandbox.kill();

		assertThatThrownBy(() -> sandbox.setTimeout(Duration.ofMinutes(1))).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> attached.setTimeout(Duration.ofMinutes(1))).isInstanceOf(NotFoundException.class);
	}

	/** A sandbox of an older Sandboxer sleeps as its main process; the wake-up signal would end it, so none is sent. */
	@Test
	void aSandboxWhoseDeadlineCannotMoveSaysSoAndKeepsRunning() {
		String old = this.docker.createContainerCmd(LocalTestSandboxes.BUSYBOX)
			.withEntrypoint("sleep")
			.withCmd("300")
			.withLabels(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.PROVIDER, "local",
					SandboxLabels.META_PREFIX + LocalTestSandboxes.OWNER_KEY, this.sandboxes.ownerLabel().getValue()))
			.withHostConfig(HostConfig.newHostConfig().withInit(true).withAutoRemove(true))
			.exec()
			.getId();
		this.docker.startContainerCmd(old).exec();
		Sandbox sandbox = this.sandboxes.sandboxer.attachSandbox(old);

		assertThatThrownBy(() -> sandbox.setTimeout(Duration.ofSeconds(5))).isInstanceOf(NotSupportedException.class)
			.hasMessageContaining("older Sandboxer");
		assertThat(sandbox.runCommand("echo alive").stdout()).isEqualTo("alive\n");
	}

	/** Creates a sandbox with a first timeout, moves it, and closes the client that made it. */
	private String createAndLetGo(String image, Duration first, Duration moved) {
		try (Sandboxer creator = Sandboxer.builder("local").build()) {
			Sandbox sandbox = creator.createSandbox(this.sandboxes.request(image).timeout(first).build());
			sandbox.detach();
			sandbox.setTimeout(moved);
			return sandbox.id();
		}
	}

	private void awaitGone(String id) {
		await().atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> !exists(id));
		assertThatThrownBy(() -> this.sandboxes.sandboxer.attachSandbox(id)).isInstanceOf(NotFoundException.class);
	}

	private boolean exists(String id) {
		return this.sandboxes.containerExists(id);
	}

}
