package dev.sandboxer.provider.daytona;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.UnauthorizedException;
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
import dev.sandboxer.spi.ProviderSandbox;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One Daytona sandbox: lifecycle through the API, commands, files and terminals through its toolbox.
 * <p>
 * <b>Pause is Daytona's stop.</b> {@code pause()} is {@code POST /sandbox/{id}/stop}: the sandbox keeps its files
 * (and its disk) but every process in it ends, as after a reboot; {@code resume()} is {@code POST /sandbox/{id}/start},
 * which also brings back an archived sandbox. Both wait until the sandbox has reached the state. (Daytona's own
 * {@code /pause}, which keeps memory, exists only for VM-class sandboxes.) A stopped sandbox reports
 * {@link dev.sandboxer.model.SandboxStatus#PAUSED}.
 * <p>
 * <b>Lifetime.</b> Daytona has no fixed end of life: a sandbox stops after {@code autoStopInterval} minutes without
 * activity and is deleted {@code autoDeleteInterval} minutes after it stopped. A lifetime (create-time
 * {@code timeout}, {@code setTimeout}) sets both to its length in whole minutes, rounded up: an idle sandbox stops
 * then and is deleted as long again later; one that is being used runs on. {@code info().expiresAt()} is when it will
 * stop (running) or be deleted (stopped).
 */
final class DaytonaSandbox implements ProviderSandbox {


	private final SandboxInfo initialInfo;

	private final DaytonaApi api;

	private final ToolboxProcesses processes;

	private final ToolboxFiles files;

	private final ToolboxPtys ptys;

	private final Duration stateWait;

	DaytonaSandbox(SandboxInfo initialInfo, DaytonaApi api, Toolbox toolbox, Duration defaultTimeout,
			Duration stateWait, OtherUsers users, ToolboxPtys ptys) {
		this.initialInfo = initialInfo;
		this.api = api;
		this.processes = new ToolboxProcesses(toolbox, defaultTimeout, users);
		this.files = new ToolboxFiles(toolbox);
		this.ptys = ptys;
		this.stateWait = stateWait;
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
		return this.api.get(id(), "info").map(SandboxStates::info).toFuture();
	}

	/** Stops the sandbox: files stay, processes end. Waits until it is stopped. */
	@Override
	public CompletableFuture<Void> pause() {
		return this.api.stop(id())
			.then(this.api.get(id(), "pause"))
			.flatMap((sandbox) -> this.api.awaitState(sandbox, Set.of("stopped", "archived"), this.stateWait,
					"pause"))
			.then()
			.toFuture();
	}

	/** Starts a stopped or archived sandbox again and waits until it runs. */
	@Override
	public CompletableFuture<Void> resume() {
		return this.api.start(id())
			.then(this.api.get(id(), "resume"))
			.flatMap((sandbox) -> this.api.awaitState(sandbox, Set.of("started"), this.stateWait, "resume"))
			.then()
			.toFuture();
	}

	@Override
	public CompletableFuture<Void> kill() {
		return this.api.delete(id(), "kill").doOnSuccess((ignored) -> this.ptys.close()).toFuture();
	}

	/** Sets auto-stop and auto-delete to the timeout in minutes, rounded up (see the class comment). */
	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		long minutes = Lifetimes.minutes(timeout);
		return this.api.setAutoStop(id(), minutes, "setTimeout")
			.then(this.api.setAutoDelete(id(), minutes, "setTimeout"))
			.toFuture();
	}

	/**
	 * The preview URL of the port ({@code GET /sandbox/{id}/ports/{port}/preview-url}). A private sandbox's preview
	 * also wants the token that call returns, as the {@code x-daytona-preview-token} header; create with the option
	 * {@code public=true} for URLs that work alone.
	 */
	@Override
	public CompletableFuture<String> portUrl(int port) {
		return this.api.previewUrl(id(), port).map(ApiJson.PreviewUrl::url).toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		return this.processes.run(request, listener);
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		return this.processes.start(request);
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		return this.processes.waitFor(handleId);
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		return this.processes.kill(pid);
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return this.processes.list();
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

	/**
	 * Whether the path exists: {@code false} only on the daemon's own 404. A 401 from the toolbox proxy is what it
	 * answers for a sandbox it no longer finds as well as for a bad key; the API tells the two apart, so a sandbox it
	 * does not know is {@link NotFoundException}, and anything else keeps the 401.
	 */
	@Override
	public CompletableFuture<Boolean> exists(String path) {
		return this.files.exists(path)
			.onErrorResume(UnauthorizedException.class, (unauthorized) -> this.api.get(id(), "exists")
				.flatMap((sandbox) -> isGone(sandbox) ? Mono.<Boolean>error(gone(unauthorized))
						: Mono.<Boolean>error(unauthorized))
				.onErrorMap(NotFoundException.class, (missing) -> gone(unauthorized)))
			.toFuture();
	}

	private static boolean isGone(ApiJson.Sandbox sandbox) {
		return sandbox.state() != null && Set.of("destroyed", "destroying").contains(sandbox.state().toLowerCase(
				java.util.Locale.ROOT));
	}

	private NotFoundException gone(UnauthorizedException answer) {
		return new NotFoundException(DaytonaSettings.PROVIDER, "daytona exists: the sandbox " + id()
				+ " is gone (the toolbox proxy answered: " + answer.getMessage() + ")", answer);
	}

	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		return this.ptys.create(request, listener);
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return this.ptys.send(pid, data);
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return this.ptys.resize(pid, rows, cols);
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return this.ptys.kill(pid);
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return this.ptys.list();
	}

	@Override
	public String toString() {
		return "DaytonaSandbox[" + id() + "]";
	}

}
