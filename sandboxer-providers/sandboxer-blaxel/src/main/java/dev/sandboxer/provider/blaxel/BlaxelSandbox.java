package dev.sandboxer.provider.blaxel;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
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
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;

/**
 * One Blaxel sandbox: lifecycle through the control plane, commands and files through its sandbox-api.
 * <p>
 * Blaxel has no pause API: a sandbox goes to standby by itself when it has been idle for a few seconds (memory,
 * processes and files kept) and resumes on the next call to it. So {@code pause()} sends no pause; it checks that the
 * sandbox still exists (a gone one is {@link dev.sandboxer.error.NotFoundException}) and leaves the standby to
 * Blaxel, and {@code info()} reports {@code PAUSED} once Blaxel says {@code STANDBY}. {@code resume()} checks the
 * sandbox and then calls its sandbox-api ({@code GET /health}), which wakes it, so the sandbox is running when
 * {@code resume()} completes.
 * <p>
 * Terminals go through sandbox-api's terminal WebSocket; what its protocol lacks (pid, kill, list) and what is done
 * instead is in {@link SandboxTerminals}.
 */
final class BlaxelSandbox implements ProviderSandbox {


	private final SandboxInfo initialInfo;

	private final ControlPlane controlPlane;

	private final SandboxApi api;

	private final BlaxelProcesses processes;

	private final BlaxelFiles files;

	private final SandboxTerminals terminals;

	BlaxelSandbox(SandboxInfo initialInfo, ControlPlane controlPlane, SandboxApi api, TerminalSockets sockets) {
		this.initialInfo = initialInfo;
		this.controlPlane = controlPlane;
		this.api = api;
		OtherUsers users = new OtherUsers(api);
		this.processes = new BlaxelProcesses(api, users);
		this.files = new BlaxelFiles(api, this.processes);
		this.terminals = new SandboxTerminals(initialInfo.id(), api, sockets, users);
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
		return this.controlPlane.get(id(), "info").map((sandbox) -> SandboxInfos.of(sandbox, id())).toFuture();
	}

	@Override
	public CompletableFuture<Void> pause() {
		return this.controlPlane.get(id(), "pause").then().toFuture();
	}

	@Override
	public CompletableFuture<Void> resume() {
		return this.controlPlane.get(id(), "resume")
			.then(this.api.call(HttpMethod.GET, "/health", "resume").discard())
			.toFuture();
	}

	@Override
	public CompletableFuture<Void> kill() {
		return this.controlPlane.delete(id(), "kill").doOnSuccess((deleted) -> this.terminals.closeAll()).toFuture();
	}

	/** Gives the sandbox a new max age ({@code spec.runtime.ttl}) that ends it {@code timeout} from now. */
	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		return this.controlPlane.setTimeout(id(), timeout).toFuture();
	}

	/** The URL of a public preview of the port, made on first use and reused after. */
	@Override
	public CompletableFuture<String> portUrl(int port) {
		return this.controlPlane.previewUrl(id(), port).toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		return this.processes.run(request, listener).toFuture();
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		return this.processes.start(request).toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		return this.processes.waitFor(handleId).toFuture();
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		return this.processes.kill(String.valueOf(pid), "killProcess").toFuture();
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		return this.processes.stop(pid, gracePeriod, "killProcess").toFuture();
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return this.processes.list().toFuture();
	}

	@Override
	public CompletableFuture<byte[]> readFile(String path) {
		return this.files.read(path).toFuture();
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		return this.files.readStream(path).toFuture();
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
		return this.files.list(path).toFuture();
	}

	@Override
	public CompletableFuture<Void> makeDir(String path) {
		return this.files.makeDir(path).toFuture();
	}

	@Override
	public CompletableFuture<Void> remove(String path) {
		return this.files.remove(path).toFuture();
	}

	@Override
	public CompletableFuture<Boolean> exists(String path) {
		return this.files.exists(path).toFuture();
	}

	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		return this.terminals.create(request, listener).toFuture();
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return this.terminals.send(pid, data).toFuture();
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return this.terminals.resize(pid, rows, cols).toFuture();
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return this.terminals.kill(pid).toFuture();
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return this.terminals.list().toFuture();
	}


	@Override
	public String toString() {
		return "BlaxelSandbox[" + id() + ", " + this.api.baseUrl() + "]";
	}

}
