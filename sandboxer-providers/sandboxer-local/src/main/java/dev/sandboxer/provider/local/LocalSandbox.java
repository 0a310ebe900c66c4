package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import org.jspecify.annotations.Nullable;

/**
 * One container as a sandbox. Cheap: the workers are the provider's; only its terminals belong to this handle.
 * Every path is normalised by {@link ContainerPath} and reaches a shell, if at all, as an argument ({@code $1}),
 * never inside a script's text (the reference SDKs' injection, D-S1).
 */
final class LocalSandbox implements ProviderSandbox {

	private static final int DEFAULT_FILE_MODE = 0644;

	private static final Duration FILE_SCRIPT_TIMEOUT = Duration.ofMinutes(5);

	private static final String REMOVE = """
			[ -e "$1" ] || [ -L "$1" ] || exit 3
			rm -rf -- "$1"
			""";

	private final String id;

	private final SandboxInfo initialInfo;

	private final ContainerOperations operations;

	private final DockerEngine engine;

	private final PtySessions terminals;

	/** Where relative paths start: the container's working directory, as for a command without a cwd. */
	private final ContainerPath workingDirectory;

	LocalSandbox(SandboxInfo initialInfo, ContainerOperations operations, @Nullable String workingDirectory) {
		this.workingDirectory = (workingDirectory != null && workingDirectory.startsWith("/"))
				? ContainerPath.of(workingDirectory) : ContainerPath.ROOT;
		this.id = initialInfo.id();
		this.initialInfo = initialInfo;
		this.operations = operations;
		this.engine = operations.engine();
		this.terminals = new PtySessions(this.engine, operations.processes(), this.id);
	}

	/** The first 12 characters of a container id, as the docker CLI shows it. */
	static String shortId(String containerId) {
		return (containerId.length() > 12) ? containerId.substring(0, 12) : containerId;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public SandboxInfo initialInfo() {
		return this.initialInfo;
	}

	@Override
	public CompletableFuture<SandboxInfo> info() {
		return this.engine.call(subject(), (client) -> SandboxInfoReader.fromInspect(inspectOwn(client, this.id)));
	}

	/** Inspects a container and makes sure it is one of ours; anything else is as good as absent. */
	static InspectContainerResponse inspectOwn(DockerClient client, String containerId) {
		InspectContainerResponse container = client.inspectContainerCmd(containerId).exec();
		if (container.getConfig() == null || !SandboxLabels.isSandbox(container.getConfig().getLabels())) {
			throw new NotFoundException(EngineErrors.PROVIDER,
					"Container " + shortId(containerId) + " is not a sandbox of the local provider");
		}
		return container;
	}

	@Override
	public CompletableFuture<Void> pause() {
		// Sessions are told first: a command sent to a frozen session would wait for its timeout.
		this.operations.sessions().paused(this.id, true);
		return changeState((client) -> client.pauseContainerCmd(this.id).exec(), "already paused");
	}

	@Override
	public CompletableFuture<Void> resume() {
		return changeState((client) -> client.unpauseContainerCmd(this.id).exec(), "is not paused")
			.thenApply((ignored) -> {
				this.operations.sessions().paused(this.id, false);
				return null;
			});
	}

	/**
	 * Pauses or resumes; a sandbox already in the asked-for state is no error (the Engine answers 409 or 500 with
	 * {@code alreadyThere} in its message).
	 */
	private CompletableFuture<Void> changeState(Consumer<DockerClient> change, String alreadyThere) {
		return this.engine.call(subject(), (client) -> {
			try {
				change.accept(client);
			}
			catch (DockerException ex) {
				if (!ex.getMessage().contains(alreadyThere)) {
					throw ex;
				}
			}
			return null;
		});
	}

	@Override
	public CompletableFuture<Void> kill() {
		this.operations.sessions().killed(this.id);
		return this.engine.call(subject(), (client) -> {
			LocalProvider.remove(client, this.id);
			return null;
		});
	}

	/** Counts from the request: the deadline is fixed before the Engine is asked anything. */
	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		Instant deadline = LifetimeKeeper.deadline(Instant.now(), timeout);
		return this.engine.call(subject(), (client) -> {
			this.operations.lifetime().moveDeadline(client, inspectOwn(client, this.id), deadline);
			return null;
		});
	}

	@Override
	public CompletableFuture<String> portUrl(int port) {
		return this.engine.call(subject(), (client) -> {
			InspectContainerResponse container = inspectOwn(client, this.id);
			Ports ports = (container.getNetworkSettings() != null) ? container.getNetworkSettings().getPorts() : null;
			Ports.Binding[] bindings = (ports != null) ? ports.getBindings().get(ExposedPort.tcp(port)) : null;
			if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
				throw new NotFoundException(EngineErrors.PROVIDER, "Port " + port + " of " + subject()
						+ " is not published; ask for it when creating the sandbox (CreateSandboxRequest.builder().port("
						+ port + "))");
			}
			return "http://" + urlHost(bindings[0].getHostIp()) + ":" + bindings[0].getHostPortSpec();
		});
	}

	/** Where a published port is reached from here: a wildcard binding is reached on the Engine's host. */
	private String urlHost(@Nullable String hostIp) {
		if (hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::")) {
			URI engine = URI.create(this.engine.dockerHost());
			return "tcp".equals(engine.getScheme()) && engine.getHost() != null ? engine.getHost() : "127.0.0.1";
		}
		return hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		Duration timeout = (request.timeout() != null) ? request.timeout() : this.operations.settings().commandTimeout();
		ExecSpec spec = new ExecSpec(List.of("sh", "-c", request.command()), request.user(), request.env(),
				request.cwd(), timeout);
		return ContainerExec.map(this.operations.sessions().run(this.id, request.command(), spec, listener),
				ExecOutcome::toResult);
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		return this.operations.background().start(this.id, request);
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		return this.operations.background().waitFor(this.id, handleId);
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		return this.operations.processes().kill(this.id, pid, Duration.ZERO);
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		return this.operations.processes().kill(this.id, pid, gracePeriod);
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return this.operations.processes().list(this.id);
	}

	@Override
	public CompletableFuture<byte[]> readFile(String path) {
		return this.engine.call(subject(), (client) -> {
			try (InputStream content = this.operations.files().open(this.id, path(path))) {
				return content.readAllBytes();
			}
		});
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		return this.engine.call(subject(), (client) -> this.operations.files().open(this.id, path(path)));
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
			@Nullable String user) {
		return this.engine.call(subject(), (client) -> {
			write(path, new ByteArrayInputStream(content), content.length, mode, user);
			return null;
		});
	}

	/**
	 * The archive upload must announce the file's size before its bytes, so a stream of unknown length is first
	 * copied to a temporary file here (on disk, never whole in memory), then streamed from it.
	 */
	@Override
	public CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user) {
		return this.engine.call(subject(), (client) -> {
			Path spool = Files.createTempFile("sandboxer-upload-", ".tmp");
			try (content) {
				Files.copy(content, spool, StandardCopyOption.REPLACE_EXISTING);
				try (InputStream spooled = Files.newInputStream(spool)) {
					write(path, spooled, Files.size(spool), mode, user);
				}
			}
			finally {
				deleteQuietly(spool);
			}
			return null;
		});
	}

	private void write(String path, InputStream content, long size, @Nullable Integer mode, @Nullable String user) {
		TarUpload.Owner owner = (user != null) ? this.operations.users().resolve(this.id, user) : null;
		this.operations.files()
			.write(this.id, path(path), content, size, (mode != null) ? mode : DEFAULT_FILE_MODE, owner);
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			file.toFile().deleteOnExit();
		}
	}

	@Override
	public CompletableFuture<List<FileInfo>> listDirectory(String path) {
		ContainerPath directory = path(path);
		ExecSpec spec = ExecSpec.script(DirectoryListing.SCRIPT, null, FILE_SCRIPT_TIMEOUT, directory.value());
		return ContainerExec.map(this.operations.exec().run(this.id, spec, CommandOutputListener.NONE),
				(outcome) -> DirectoryListing.parse(directory, outcome, subject()));
	}

	@Override
	public CompletableFuture<Void> makeDir(String path) {
		return this.engine.call(subject(), (client) -> {
			this.operations.files().makeDirectories(this.id, path(path));
			return null;
		});
	}

	@Override
	public CompletableFuture<Void> remove(String path) {
		ContainerPath target = path(path);
		if (target.isRoot()) {
			return CompletableFuture.failedFuture(new ProviderException(EngineErrors.PROVIDER,
					"Refusing to remove '/' of " + subject() + "; kill the sandbox instead", null, "root-path", null));
		}
		ExecSpec spec = ExecSpec.script(REMOVE, null, FILE_SCRIPT_TIMEOUT, target.value());
		return ContainerExec.map(this.operations.exec().run(this.id, spec, CommandOutputListener.NONE), (outcome) -> {
			if (outcome.exitCode() == 3) {
				throw new NotFoundException(EngineErrors.PROVIDER, "Nothing at '" + target + "' in " + subject());
			}
			if (!outcome.succeeded()) {
				throw new ProviderException(EngineErrors.PROVIDER,
						"Could not remove '" + target + "' in " + subject() + ": " + outcome.stderr().strip());
			}
			return null;
		});
	}

	@Override
	public CompletableFuture<Boolean> exists(String path) {
		return this.engine.call(subject(),
				(client) -> this.operations.files().stat(this.id, path(path)).isPresent());
	}

	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		return this.terminals.create(request, listener);
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return this.terminals.sendInput(pid, data);
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return this.terminals.resize(pid, rows, cols);
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return this.terminals.kill(pid, Duration.ZERO);
	}

	@Override
	public CompletableFuture<Void> killPty(int pid, Duration gracePeriod) {
		return this.terminals.kill(pid, gracePeriod);
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return CompletableFuture.completedFuture(this.terminals.list());
	}

	private String subject() {
		return ContainerExec.subject(this.id);
	}

	/**
	 * A path of the user's, made absolute: a relative one is taken from the container's working directory (the
	 * image's {@code WORKDIR}, {@code /} when it sets none), the directory {@code runCommand} starts in, so that
	 * {@code readFile("notes.txt")} and {@code runCommand("cat notes.txt")} read the same file.
	 */
	private ContainerPath path(String path) {
		return ContainerPath.of(path, this.workingDirectory);
	}

	@Override
	public String toString() {
		return "LocalSandbox[" + shortId(this.id) + "]";
	}

}
