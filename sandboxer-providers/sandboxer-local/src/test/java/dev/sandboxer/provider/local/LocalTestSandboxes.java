package dev.sandboxer.provider.local;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test images, and sandboxes made from them through the public API. Every sandbox carries the metadata
 * {@value #OWNER_KEY}=&lt;an id of this instance&gt;, so {@link #close()} removes what this instance made and
 * nothing of anyone else's; a crashed run's sandboxes end by themselves at their 15-minute timeout.
 */
final class LocalTestSandboxes implements AutoCloseable, AfterAllCallback {

	static final String BUSYBOX = "sandboxer-test/busybox:latest";

	static final String DEBIAN = "sandboxer-test/debian:latest";

	static final String OWNER_KEY = "sandboxer-test-owner";

	final Sandboxer sandboxer;

	private final String owner = "local-provider-tests-" + UUID.randomUUID();

	private final Map<String, Sandbox> byImage = new LinkedHashMap<>();

	private @Nullable DockerClient docker;

	/** The provider, when a test made it itself. */
	private @Nullable LocalProvider provider;

	LocalTestSandboxes() {
		this(ProviderConfig.builder().extra("image", BUSYBOX).build());
	}

	/** With sessions on ({@code true}, the default) or every command through exec ({@code false}). */
	static LocalTestSandboxes withSessions(boolean sessions) {
		return withSessions(sessions, true);
	}

	/**
	 * As {@link #withSessions(boolean)}; {@code overSocket} {@code false} keeps creates and sessions off the Engine's
	 * socket, on docker-java's way, as for a tcp host or a Docker context.
	 */
	static LocalTestSandboxes withSessions(boolean sessions, boolean overSocket) {
		ProviderConfig config = ProviderConfig.builder()
			.extra("image", BUSYBOX)
			.extra("session", Boolean.toString(sessions))
			.build();
		return overSocket ? new LocalTestSandboxes(config)
				: new LocalTestSandboxes(new LocalProvider(LocalSettings.from(config), false));
	}

	LocalTestSandboxes(ProviderConfig config) {
		this.sandboxer = Sandboxer.builder("local").config(config).build();
	}

	LocalTestSandboxes(LocalProvider provider) {
		this.sandboxer = Sandboxer.builder("local").provider(provider).build();
		this.provider = provider;
	}

	/** Whether this instance's creates and sessions go over the Engine's socket (the default way does, here). */
	boolean createsOverSocket() {
		return (this.provider == null) || this.provider.createsOverSocket();
	}

	/** A request for a test sandbox of an image, already labelled as this instance's. */
	CreateSandboxRequest.Builder request(String image) {
		return CreateSandboxRequest.builder()
			.template(image)
			.metadata(OWNER_KEY, this.owner)
			.timeout(Duration.ofMinutes(15));
	}

	/** The metadata entry that marks this instance's sandboxes. */
	Map.Entry<String, String> ownerLabel() {
		return Map.entry(OWNER_KEY, this.owner);
	}

	/** One shared sandbox per image, made on first use. */
	Sandbox of(String image) {
		return this.byImage.computeIfAbsent(image, (key) -> this.sandboxer.createSandbox(request(key).build()));
	}

	Sandbox create(CreateSandboxRequest request) {
		return this.sandboxer.createSandbox(request);
	}

	/**
	 * docker-java itself, to look at containers from outside the provider and to make ones it did not; closed with
	 * this instance.
	 */
	synchronized DockerClient docker() {
		if (this.docker == null) {
			this.docker = DockerClientImpl.getInstance(
					DefaultDockerClientConfig.createDefaultConfigBuilder().withApiVersion("1.41").build(),
					new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///var/run/docker.sock")).build());
		}
		return this.docker;
	}

	/** Whether the Engine still has a container, in any state. */
	boolean containerExists(String containerId) {
		return !docker().listContainersCmd().withShowAll(true).withIdFilter(List.of(containerId)).exec().isEmpty();
	}

	/** Kills every sandbox this instance made, including those its owning client let go of. */
	private void killAll() {
		ListSandboxesFilter mine = ListSandboxesFilter.builder().metadata(OWNER_KEY, this.owner).build();
		for (SandboxInfo info : this.sandboxer.listSandboxes(mine)) {
			try {
				this.sandboxer.killSandbox(info.id());
			}
			catch (NotFoundException ex) {
				// Expired or killed meanwhile.
			}
		}
	}

	/** Registered with {@code @RegisterExtension} in a per-class test, it cleans up after the class. */
	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private synchronized void closeDocker() {
		if (this.docker != null) {
			try {
				this.docker.close();
			}
			catch (IOException ex) {
				// Only the test's own connection is left open.
			}
			this.docker = null;
		}
	}

	@Override
	public void close() {
		try {
			killAll();
		}
		finally {
			this.sandboxer.close();
			closeDocker();
		}
	}

}
