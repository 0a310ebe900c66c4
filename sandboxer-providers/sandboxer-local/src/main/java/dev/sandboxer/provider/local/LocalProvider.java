package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
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
 * <p>
 * <b>Fast create.</b> docker-java's first Engine call in a JVM takes most of a second (Jackson's object mapper, its
 * models, its transport), several times what the Engine needs to make and start a container. So where the Engine is
 * surely the one docker-java would reach, a Unix socket with no Docker context in play ({@link FastCreateRoute}),
 * creates go over the socket with the JDK's own channel ({@link SocketCreate}), and so do the sessions that run
 * commands ({@link SocketAgentLink}); docker-java is set up in the background for the calls that follow. The route
 * is decided, and the Engine's version asked (a background {@code _ping} that fails quietly when no Engine answers),
 * on an engine thread while the client is built. Everything else (tcp or TLS hosts, contexts, an image to pull, an API
 * version newer than docker-java knows) takes the docker-java way, as before. Both ways send the same container
 * ({@link ContainerSpec}) and fail with the same typed errors.
 */
final class LocalProvider implements SandboxProvider {

	private static final Logger logger = LoggerFactory.getLogger(LocalProvider.class);

	private final LocalSettings settings;

	private final DockerEngine engine;

	private final ContainerOperations operations;

	/**
	 * Creates (and sessions) over the Engine's socket without docker-java, or none where that is not sure to be its
	 * Engine. Decided on an engine thread while the client is built, and the Engine's version asked there too, so
	 * that in a fresh JVM the first socket and answer overlap the build instead of delaying the first create.
	 */
	private final CompletableFuture<Optional<SocketCreate>> socketRoute;

	LocalProvider(LocalSettings settings) {
		this(settings, true);
	}

	/** @param socketCreate whether creates and sessions may go over the Engine's socket at all (tests compare both ways) */
	LocalProvider(LocalSettings settings, boolean socketCreate) {
		this.settings = settings;
		this.engine = new DockerEngine(settings);
		DockerEngine engine = this.engine;
		this.socketRoute = !socketCreate ? CompletableFuture.completedFuture(Optional.empty())
				: engine.run("the Docker Engine", () -> route(engine, settings))
					.exceptionally((error) -> Optional.empty());
		// A session made before the route is known (only just after the build) goes docker-java's way, which works
		// for every Engine.
		this.operations = ContainerOperations.of(this.engine, settings,
				() -> this.socketRoute.getNow(Optional.empty()).map(SocketCreate::calls).orElse(null));
	}

	private static Optional<SocketCreate> route(DockerEngine engine, LocalSettings settings) {
		Path socket = FastCreateRoute.socket(settings.dockerHost());
		if (socket == null) {
			return Optional.empty();
		}
		SocketEngineCalls calls = new SocketEngineCalls(new UnixSocketExchange(socket, settings.connectTimeout(),
				settings.connectTimeout(), SocketEngineCalls.MAX_ANSWER), engine.errors());
		try {
			calls.version(settings.apiVersion());
		}
		catch (IOException | RuntimeException ex) {
			// Left for the first real call, which asks again and reports it.
		}
		return Optional.of(new SocketCreate(calls, settings));
	}

	/** Whether creates go over the Engine's socket without docker-java (tests check the route taken). */
	boolean createsOverSocket() {
		return this.socketRoute.join().isPresent();
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
		AtomicReference<@Nullable Future<?>> pulling = new AtomicReference<>();
		this.socketRoute.thenAccept((route) -> {
			SocketCreate fast = route.orElse(null);
			if (fast == null) {
				createThroughDockerJava(image, request, subject, created, made, cancelled, pulling);
				return;
			}
			this.engine.run(subject, () -> {
				SocketCreate.Made container = fast.create(image, request, subject, made, cancelled);
				if (container != null && cancelled.get()) {
					fast.removeAbandoned(container.id());
				}
				return Optional.ofNullable(container);
			}).whenComplete((container, error) -> {
				if (error != null) {
					created.completeExceptionally(error);
				}
				else if (container.isPresent()) {
					SocketCreate.Made started = container.get();
					created.complete(sandbox(started.id(), image, request, started.createdAt(), started.expiresAt(),
							started.workingDirectory()));
					// docker-java is set up for the calls that need it (files, processes, background commands) once
					// the sandbox is handed over: on two cores its second of class loading beside the create slowed
					// the create by about half, and the first command needs it not, its session going over the socket.
					this.engine.prepareInBackground(fast.chosenVersion());
				}
				else if (!created.isDone()) {
					// An image to pull or an API version only docker-java's models know: its way, unchanged.
					createThroughDockerJava(image, request, subject, created, made, cancelled, pulling);
				}
			});
		});
		created.whenComplete((sandbox, error) -> {
			if (!created.isCancelled()) {
				return;
			}
			Future<?> pull = pulling.get();
			if (pull != null) {
				pull.cancel(true);
			}
			cancelled.set(true);
			String id = made.get();
			// A container is only made once the route is known.
			SocketCreate fast = this.socketRoute.getNow(Optional.empty()).orElse(null);
			if (id != null) {
				if (fast != null) {
					this.engine.run(subject, () -> {
						fast.removeAbandoned(id);
						return null;
					});
				}
				else {
					this.engine.call(subject, (client) -> {
						removeAbandoned(client, id);
						return null;
					});
				}
			}
		});
		return created;
	}

	/** The docker-java way: the image pulled when it is missing, then the container made and started. */
	private void createThroughDockerJava(String image, CreateSandboxRequest request, String subject,
			CompletableFuture<ProviderSandbox> created, AtomicReference<String> made, AtomicBoolean cancelled,
			AtomicReference<@Nullable Future<?>> pulling) {
		CompletableFuture<@Nullable String> pulled = this.engine.callInterruptibly(subject,
				(client) -> ensureImage(client, image));
		pulling.set(pulled);
		if (created.isCancelled()) {
			pulled.cancel(true);
		}
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
	}

	/** Makes and starts the container; a container that cannot start is removed. */
	private ProviderSandbox start(DockerClient client, String image, CreateSandboxRequest request,
			@Nullable String workingDirectory, AtomicReference<String> made) {
		Instant now = Instant.now();
		Instant expiresAt = (request.timeout() != null) ? LifetimeKeeper.deadline(now, request.timeout()) : null;
		ContainerSpec spec = ContainerSpec.of(image, request, expiresAt, this.settings.portBindAddress());
		String id = container(client, spec).exec().getId();
		made.set(id);
		try {
			client.startContainerCmd(id).exec();
		}
		catch (RuntimeException ex) {
			removeAfterFailedStart(client, id, ex);
			throw ex;
		}
		return sandbox(id, image, request, now, expiresAt, workingDirectory);
	}

	private ProviderSandbox sandbox(String id, String image, CreateSandboxRequest request, Instant createdAt,
			@Nullable Instant expiresAt, @Nullable String workingDirectory) {
		SandboxInfo info = new SandboxInfo(id, ProviderName.LOCAL, image, SandboxStatus.RUNNING, createdAt, expiresAt,
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

	private static CreateContainerCmd container(DockerClient client, ContainerSpec spec) {
		HostConfig host = HostConfig.newHostConfig().withInit(true).withAutoRemove(true);
		if (spec.nanoCpus() != null) {
			host.withNanoCPUs(spec.nanoCpus());
		}
		if (spec.memoryBytes() != null) {
			host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
		}
		List<ExposedPort> exposed = spec.ports().stream().map(ExposedPort::tcp).toList();
		if (!exposed.isEmpty()) {
			Ports bindings = new Ports();
			// An empty host port makes the Engine pick a free one; the address keeps it off other machines.
			exposed.forEach((port) -> bindings.bind(port, Ports.Binding.bindIp(spec.portBindAddress())));
			host.withPortBindings(bindings);
		}
		return client.createContainerCmd(spec.image())
			.withLabels(spec.labels())
			.withEnv(spec.env())
			.withEntrypoint(spec.entrypoint())
			.withCmd(spec.cmd())
			.withStopSignal(spec.stopSignal())
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
