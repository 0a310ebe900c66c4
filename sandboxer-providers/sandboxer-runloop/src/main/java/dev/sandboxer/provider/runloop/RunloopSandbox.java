package dev.sandboxer.provider.runloop;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.UploadBody;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.CommandOutputCollector;
import dev.sandboxer.spi.ProviderSandbox;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * One Runloop devbox.
 * <ul>
 * <li>{@code pause}/{@code resume} are {@code suspend}/{@code resume} (disk kept, processes not); {@code kill} is
 * {@code shutdown}, after which the devbox stays readable as stopped.</li>
 * <li>{@code setTimeout}: only a renewal of the create-time keep-alive time (see {@link DevboxLifetime}); the renewal
 * is recorded in the metadata key {@value Devboxes#KEPT_ALIVE_AT}, which {@code info} hides and reads back as
 * {@code expiresAt}.</li>
 * <li>Commands run through {@code execute_async}; {@code cwd}, {@code env} and {@code user} become a quoted prefix
 * ({@link ShellCommand}) and a timeout is enforced by killing the execution. A started command's pid is announced by
 * its shell on stdout's first line, which {@code waitForHandle} removes; its handle is the execution id, valid from
 * any client.</li>
 * <li>{@code killProcess} kills through the execution API (with its process group) for a command started by this
 * handle, and with {@code kill -KILL} otherwise; {@code listProcesses} reads {@code ps}: Runloop has no process
 * list.</li>
 * <li>{@code portUrl} is the devbox's tunnel URL, enabling an open tunnel when it has none.</li>
 * <li>Terminals: not supported (see {@link #createPty}).</li>
 * </ul>
 */
final class RunloopSandbox implements ProviderSandbox {


	private static final String NO_PTY = "Runloop's API (api-client-python ae5ffd5f) offers no terminal a client can "
			+ "drive: its /pty endpoints sit behind a per-devbox tunnel whose port is not published and whose byte "
			+ "stream is an unmodelled WebSocket. Use runCommand or startCommand instead";

	private final SandboxInfo initialInfo;

	private final Devboxes devboxes;

	private final Executions executions;

	private final DevboxFiles files;

	private final String tunnelDomain;

	/** The executions this handle started, by the pid their shell announced, for killProcess. */
	private final Map<Integer, String> started = new ConcurrentHashMap<>();

	RunloopSandbox(SandboxInfo initialInfo, Devboxes devboxes, Executions executions, DevboxFiles files,
			String tunnelDomain) {
		this.initialInfo = initialInfo;
		this.devboxes = devboxes;
		this.executions = executions;
		this.files = files;
		this.tunnelDomain = tunnelDomain;
	}

	@Override
	public String id() {
		return this.initialInfo.id();
	}

	@Override
	public SandboxInfo initialInfo() {
		return this.initialInfo;
	}

	@Override
	public CompletableFuture<SandboxInfo> info() {
		return this.devboxes.get(id(), "info").map((view) -> Devboxes.info(view, null)).toFuture();
	}

	@Override
	public CompletableFuture<Void> pause() {
		return this.devboxes.suspend(id()).toFuture();
	}

	@Override
	public CompletableFuture<Void> resume() {
		return this.devboxes.resume(id()).toFuture();
	}

	@Override
	public CompletableFuture<Void> kill() {
		return this.devboxes.shutdown(id(), "kill").toFuture();
	}

	/**
	 * Starts the keep-alive countdown again when {@code timeout} is the devbox's create-time keep-alive time, and
	 * records when in the metadata so that {@code info} can tell the new deadline; any other length, and a devbox
	 * that ends on idle, is {@link NotSupportedException}. See {@link DevboxLifetime} for why.
	 */
	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		long seconds = DevboxLifetime.seconds(timeout);
		return this.devboxes.get(id(), "setTimeout").flatMap((view) -> {
			String whyNot = DevboxLifetime.whyNot(view.launchParameters(), seconds);
			if (whyNot != null) {
				return Mono.error(new NotSupportedException(RunloopSettings.PROVIDER, "setTimeout of " + seconds + " s",
						whyNot));
			}
			Map<String, String> metadata = new LinkedHashMap<>((view.metadata() != null) ? view.metadata() : Map.of());
			metadata.put(Devboxes.KEPT_ALIVE_AT, Long.toString(Instant.now().toEpochMilli()));
			// The renewal first: should recording it fail, info shows the earlier deadline, never a later one.
			return this.devboxes.keepAlive(id()).then(this.devboxes.replaceMetadata(id(), metadata));
		}).toFuture();
	}

	@Override
	public CompletableFuture<String> portUrl(int port) {
		return this.devboxes.get(id(), "portUrl")
			.flatMap((view) -> (view.tunnel() != null && view.tunnel().tunnelKey() != null)
					? Mono.just(view.tunnel().tunnelKey())
					: this.devboxes.enableTunnel(id()).flatMap((tunnel) -> Mono.justOrEmpty(tunnel.tunnelKey())))
			.map((key) -> "https://" + port + "-" + key + "." + this.tunnelDomain)
			.switchIfEmpty(Mono.error(() -> new ProviderException(RunloopSettings.PROVIDER,
					"runloop portUrl: Runloop answered without a tunnel key for devbox " + id())))
			.toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		return Mono.fromCallable(() -> ShellCommand.of(request.command(), request.cwd(), request.env(),
				request.user(), false))
			.flatMap((line) -> this.executions.run(id(), line, request.timeout(),
					new CommandOutputCollector(listener), "runCommand"))
			.toFuture();
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		return Mono.fromCallable(() -> ShellCommand.of(request.command(), request.cwd(), request.env(),
				request.user(), true))
			.flatMap((line) -> this.executions.start(id(), line, "startCommand"))
			.flatMap((execution) -> this.executions.firstLine(id(), execution.executionId(), "startCommand")
				.map(RunloopSandbox::pid)
				.defaultIfEmpty(-1)
				.map((pid) -> {
					if (pid > 0) {
						this.started.put(pid, execution.executionId());
					}
					return new CommandHandle(pid, execution.executionId());
				}))
			.toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		return this.executions
			.follow(id(), handleId, null, new CommandOutputCollector(CommandOutputListener.NONE), true,
					System.nanoTime(), "waitForHandle")
			.toFuture();
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		String executionId = this.started.remove(pid);
		if (executionId != null) {
			return this.executions.kill(id(), executionId, "killProcess").toFuture();
		}
		return shell("kill -s KILL -- " + ShellCommand.quote(Integer.toString(pid)), "killProcess")
			.flatMap((result) -> (result.exitCode() == 0) ? Mono.<Void>empty()
					: Mono.error(new NotFoundException(RunloopSettings.PROVIDER,
							"runloop killProcess: no process " + pid + " in devbox " + id() + ": "
									+ result.stderr().strip())))
			.toFuture();
	}

	/**
	 * SIGTERM, then SIGKILL if the pid still answers {@code kill -0} when the grace period is over, in one shell
	 * command (the execution API itself can only kill outright).
	 */
	@Override
	public CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		String quoted = ShellCommand.quote(Integer.toString(pid));
		long tenths = (gracePeriod.toMillis() + 99) / 100;
		String line = "kill -s TERM -- " + quoted + " || exit 3; n=" + tenths + "; while [ \"$n\" -gt 0 ] && kill -0 "
				+ quoted + " 2>/dev/null; do sleep 0.1; n=$((n - 1)); done; kill -s KILL -- " + quoted
				+ " 2>/dev/null; exit 0";
		this.started.remove(pid);
		return shell(line, "killProcess")
			.flatMap((result) -> (result.exitCode() == 0) ? Mono.<Void>empty()
					: Mono.error(new NotFoundException(RunloopSettings.PROVIDER,
							"runloop killProcess: no process " + pid + " in devbox " + id() + ": "
									+ result.stderr().strip())))
			.toFuture();
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return shell("ps -eo pid=,user=,args=", "listProcesses").map((result) -> {
			if (result.exitCode() != 0) {
				throw new ProviderException(RunloopSettings.PROVIDER,
						"runloop listProcesses: ps failed with exit code " + result.exitCode() + ": "
								+ result.stderr().strip());
			}
			List<ProcessInfo> processes = new ArrayList<>();
			for (String row : result.stdout().split("\n")) {
				String[] fields = row.strip().split("\\s+", 3);
				if (fields.length == 3) {
					try {
						processes.add(new ProcessInfo(Integer.parseInt(fields[0]), fields[2], fields[1]));
					}
					catch (NumberFormatException ex) {
						// A header or a line that is not a process.
					}
				}
			}
			return processes;
		}).toFuture();
	}

	@Override
	public CompletableFuture<byte[]> readFile(String path) {
		return this.files.read(path);
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		return this.files.readStream(path);
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
			@Nullable String user) {
		Flux<DataBuffer> body = UploadBody.of(content);
		return this.files.write(path, body, mode, user).toFuture();
	}

	@Override
	public CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user) {
		Flux<DataBuffer> body = UploadBody.of(content);
		return UploadBody.closingAfter(this.files.write(path, body, mode, user), content).toFuture();
	}

	@Override
	public CompletableFuture<List<FileInfo>> listDirectory(String path) {
		return this.files.list(path);
	}

	@Override
	public CompletableFuture<Void> makeDir(String path) {
		return this.files.makeDir(path);
	}

	@Override
	public CompletableFuture<Void> remove(String path) {
		return this.files.remove(path);
	}

	@Override
	public CompletableFuture<Boolean> exists(String path) {
		return this.files.exists(path);
	}

	/** Not supported: see {@link #NO_PTY}. */
	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		return noPty("createPty");
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return noPty("sendPtyInput");
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return noPty("resizePty");
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return noPty("killPty");
	}

	@Override
	public CompletableFuture<Void> killPty(int pid, Duration gracePeriod) {
		return noPty("killPty");
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return noPty("listPty");
	}

	Mono<CommandResult> shell(String line, String operation) {
		return this.executions.run(id(), line, null, new CommandOutputCollector(CommandOutputListener.NONE),
				operation);
	}

	private static <T> CompletableFuture<T> noPty(String operation) {
		return CompletableFuture.failedFuture(new NotSupportedException(RunloopSettings.PROVIDER, operation, NO_PTY));
	}

	private static int pid(String line) {
		try {
			return Integer.parseInt(line);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}


	@Override
	public String toString() {
		return "RunloopSandbox[" + id() + "]";
	}

}
