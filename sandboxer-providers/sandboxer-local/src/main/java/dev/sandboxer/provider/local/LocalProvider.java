package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes as Docker containers on the Engine named by {@code docker-host} or {@code DOCKER_HOST}.
 * <p>
 * <b>Lifetime.</b> A sandbox's container runs a {@link LifetimeKeeper} under Docker's init, with auto-remove: when
 * the time is up the keeper ends and the Engine itself removes the container, whether or not this JVM is still
 * alive. Without a timeout the keeper sleeps until it is killed or given a deadline. {@code setTimeout} moves the
 * deadline inside the container, shorter or longer, and names the container after it so that {@code info} and
 * {@code list} report it ({@link DeadlineName}). A paused container cannot exit, so a sandbox paused past its
 * deadline stays until it is resumed (it then ends at once) or killed: its clock keeps running while it is paused,
 * but removal waits for the resume. The same holds for a deadline moved while it is paused.
 */
final class LocalProvider implements SandboxProvider {

	private static final Logger logger = LoggerFactory.getLogger(LocalProvider.class);

	private final LocalSettings settings;

	private final DockerEngine engine;

	private final ContainerOperations operations;

	LocalProvider(LocalSettings settings) {
		this.settings = settings;
		this.engine = new DockerEngine(settings);
		this.operations = ContainerOperations.of(this.engine, settings);
	}

	@Override
	public ProviderName name() {
		return ProviderName.LOCAL;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		if (!request.options().isEmpty()) {
			return CompletableFuture.failedFuture(new BadConfigException(EngineErrors.PROVIDER, "options",
					"The local provider takes no create options; got " + request.options().keySet()));
		}
		String image = (request.template() != null) ? request.template() : this.settings.defaultImage();
		String subject = "a sandbox from image '" + image + "'";
		CompletableFuture<ProviderSandbox> created = new CompletableFuture<>();
		// A pull may take long and is a pure wait, so a cancel interrupts it; making and starting the container is
		// never interrupted (an interrupt closes the connection, and the Engine may have made a container whose id
		// would never arrive). A caller who cancelled never receives the container, so it is removed here: the call
		// and the cancel each record their side first and then look at the other's, so at least one removes it.
		AtomicReference<String> made = new AtomicReference<>();
		AtomicBoolean cancelled = new AtomicBoolean();
		CompletableFuture<@Nullable String> pulled = this.engine.callInterruptibly(subject,
				(client) -> ensureImage(client, image));
		pulled.whenComplete((workingDirectory, pullError) -> {
			if (pullError != null) {
				created.completeExceptionally(pullError);
				return;
			}
			if (created.isDone()) {
				return;
			}
			this.engine.call(subject, (client) -> {
				ProviderSandbox sandbox = start(client, image, request, workingDirectory, made);
				if (cancelled.get()) {
					removeAbandoned(client, sandbox.id());
				}
				return sandbox;
			}).whenComplete((sandbox, error) -> {
				if (error != null) {
					created.completeExceptionally(error);
				}
				else {
					created.complete(sandbox);
				}
			});
		});
		created.whenComplete((sandbox, error) -> {
			if (!created.isCancelled()) {
				return;
			}
			pulled.cancel(true);
			cancelled.set(true);
			String id = made.get();
			if (id != null) {
				this.engine.call(subject, (client) -> {
					removeAbandoned(client, id);
					return null;
				});
			}
		});
		return created;
	}

	/** Makes and starts the container; a container that cannot start is removed. */
	private ProviderSandbox start(DockerClient client, String image, CreateSandboxRequest request,
			@Nullable String workingDirectory, AtomicReference<String> made) {
		Instant now = Instant.now();
		Instant expiresAt = (request.timeout() != null) ? LifetimeKeeper.deadline(now, request.timeout()) : null;
		String id = container(client, image, request, expiresAt).exec().getId();
		made.set(id);
		try {
			client.startContainerCmd(id).exec();
		}
		catch (RuntimeException ex) {
			removeAfterFailedStart(client, id, ex);
			throw ex;
		}
		SandboxInfo info = new SandboxInfo(id, ProviderName.LOCAL, image, SandboxStatus.RUNNING, now, expiresAt,
				request.metadata(), request.cpus(), request.memoryMb());
		return new LocalSandbox(info, this.operations, workingDirectory);
	}

	private static void removeAbandoned(DockerClient client, String containerId) {
		try {
			removeEvenIfInterrupted(client, containerId);
		}
		catch (com.github.dockerjava.api.exception.NotFoundException ex) {
			// Removed by the other side already.
		}
		catch (RuntimeException ex) {
			logger.warn("Could not remove container {}, made for a create that was cancelled: {}. Remove it with "
					+ "'docker rm -f {}'", LocalSandbox.shortId(containerId), ex.getMessage(), containerId);
		}
	}

	private CreateContainerCmd container(DockerClient client, String image, CreateSandboxRequest request,
			@Nullable Instant expiresAt) {
		HostConfig host = HostConfig.newHostConfig().withInit(true).withAutoRemove(true);
		if (request.cpus() != null) {
			host.withNanoCPUs(request.cpus() * 1_000_000_000L);
		}
		if (request.memoryMb() != null) {
			long bytes = request.memoryMb() * 1024L * 1024L;
			host.withMemory(bytes).withMemorySwap(bytes);
		}
		List<ExposedPort> exposed = request.sortedPorts().stream().map(ExposedPort::tcp).toList();
		if (!exposed.isEmpty()) {
			Ports bindings = new Ports();
			// An empty host port makes the Engine pick a free one; the address keeps it off other machines.
			exposed.forEach((port) -> bindings.bind(port, Ports.Binding.bindIp(this.settings.portBindAddress())));
			host.withPortBindings(bindings);
		}
		return client.createContainerCmd(image)
			.withLabels(SandboxLabels.forCreate(request, expiresAt))
			.withEnv(ContainerExec.dockerEnvironment(request.envs()))
			.withEntrypoint(LifetimeKeeper.ENTRYPOINT)
			.withCmd(LifetimeKeeper.command(request.timeout()))
			.withStopSignal(LifetimeKeeper.STOP_SIGNAL)
			.withExposedPorts(exposed)
			.withHostConfig(host);
	}

	/**
	 * Pulls an image that is not on the Engine yet, within the {@code pull-timeout}; a failure says how to get it
	 * there. Answers the image's working directory.
	 */
	private @Nullable String ensureImage(DockerClient client, String image) throws InterruptedException {
		try {
			return workingDirectory(client.inspectImageCmd(image).exec());
		}
		catch (com.github.dockerjava.api.exception.NotFoundException absent) {
			// Not here yet: pull it.
		}
		Duration deadline = this.settings.pullTimeout();
		try (PullImageResultCallback pull = this.engine.streamingClient()
			.pullImageCmd(withTag(image))
			.exec(new PullImageResultCallback())) {
			if (!pull.awaitCompletion(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ProviderTimeoutException(EngineErrors.PROVIDER, "Pulling image '" + image
						+ "' did not finish within " + deadline + " (the local provider's 'pull-timeout'). Pull it "
						+ "first (docker pull), or set a longer 'pull-timeout'.", null);
			}
			return workingDirectory(client.inspectImageCmd(image).exec());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			if (ex instanceof ProviderTimeoutException) {
				throw ex;
			}
			String reason = (ex instanceof DockerException docker) ? EngineErrors.engineMessage(docker.getMessage())
					: String.valueOf(ex.getMessage());
			throw new ProviderException(EngineErrors.PROVIDER, "Image '" + image
					+ "' is not present locally and could not be pulled (" + reason + "). Put it on the Docker host "
					+ "first (docker pull, docker load or docker build), or choose another image with the sandbox "
					+ "template or the local provider's 'image' setting.", null, "image-unavailable", ex);
		}
	}

	/** An untagged name gets {@code :latest}: the Engine pulls every tag of a name given without one. */
	static String withTag(String image) {
		int lastSlash = image.lastIndexOf('/');
		String last = image.substring(lastSlash + 1);
		return (last.contains(":") || image.contains("@")) ? image : image + ":latest";
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.engine.call("sandbox " + LocalSandbox.shortId(sandboxId), (client) -> {
			InspectContainerResponse container = LocalSandbox.inspectOwn(client, sandboxId);
			SandboxInfo info = SandboxInfoReader.fromInspect(container);
			if (info.status() != SandboxStatus.RUNNING && info.status() != SandboxStatus.PAUSED) {
				throw new NotFoundException(EngineErrors.PROVIDER, "Sandbox " + LocalSandbox.shortId(sandboxId)
						+ " is " + info.status().value() + " and about to be removed");
			}
			String workingDirectory = (container.getConfig() != null) ? container.getConfig().getWorkingDir() : null;
			return new LocalSandbox(info, this.operations, workingDirectory);
		});
	}

	/** One Engine call: the list answer carries state, labels, image and creation time of every container. */
	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return this.engine.call("the sandbox list", (client) -> {
			Map<String, String> labels = new LinkedHashMap<>();
			labels.put(SandboxLabels.MANAGED, "true");
			labels.put(SandboxLabels.PROVIDER, EngineErrors.PROVIDER);
			filter.metadata()
				.forEach((key, value) -> labels.put(SandboxLabels.META_PREFIX + SandboxLabels.encodeKey(key), value));
			return client.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(labels)
				.exec()
				.stream()
				.map(SandboxInfoReader::fromListEntry)
				.filter((info) -> filter.matches(info.metadata()))
				.limit((filter.limit() != null) ? filter.limit() : Long.MAX_VALUE)
				.toList();
		});
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.engine.call("sandbox " + LocalSandbox.shortId(sandboxId), (client) -> {
			String id = LocalSandbox.inspectOwn(client, sandboxId).getId();
			this.operations.sessions().killed(id);
			remove(client, id);
			return null;
		});
	}

	/** Removes a container, running or not; one already being removed (it reached its timeout) counts as done. */
	static void remove(DockerClient client, String containerId) {
		try {
			client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
		}
		catch (ConflictException ex) {
			if (!ex.getMessage().contains("already in progress")) {
				throw ex;
			}
		}
	}

	/** The start failure is what the caller hears about; a container that cannot be removed is logged, by id. */
	private static void removeAfterFailedStart(DockerClient client, String containerId, RuntimeException startFailure) {
		try {
			removeEvenIfInterrupted(client, containerId);
		}
		catch (RuntimeException ex) {
			if (!(ex instanceof com.github.dockerjava.api.exception.NotFoundException)) {
				logger.warn("Could not remove container {}, which failed to start ({}): {}. Remove it with "
						+ "'docker rm -f {}'", LocalSandbox.shortId(containerId), startFailure.getMessage(), ex.getMessage(),
						containerId);
				startFailure.addSuppressed(ex);
			}
		}
	}

	/**
	 * Cleaning up must not fail because the call was cancelled: the transport refuses to lease a connection to an
	 * interrupted thread, so the interrupt is set aside for the removal and restored after it.
	 */
	private static void removeEvenIfInterrupted(DockerClient client, String containerId) {
		boolean interrupted = Thread.interrupted();
		try {
			remove(client, containerId);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static @Nullable String workingDirectory(InspectImageResponse image) {
		return (image.getConfig() != null) ? image.getConfig().getWorkingDir() : null;
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.engine.call("the Docker Engine", (client) -> this.engine.ping());
	}

	/** Releases the Engine connection and threads; sandboxes keep running until killed or expired. */
	@Override
	public void close() {
		this.operations.sessions().close();
		this.engine.close();
	}

	@Override
	public String toString() {
		return "LocalProvider[dockerHost=" + this.engine.dockerHost() + "]";
	}

}
