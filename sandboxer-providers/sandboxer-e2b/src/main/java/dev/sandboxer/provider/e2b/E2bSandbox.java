package dev.sandboxer.provider.e2b;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
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
import dev.sandboxer.spi.ProviderSandbox;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * One E2B sandbox: lifecycle through the control plane, commands, files and terminals through its envd.
 * <p>
 * {@code resume} uses {@code POST /sandboxes/{id}/connect} (the spec's replacement for the deprecated
 * {@code /resume}) with the sandbox's lifetime, which only ever extends it. That lifetime is the one it was created
 * with (300 s for an attached sandbox, as the official SDK's connect assumes) until {@code setTimeout}
 * ({@code POST /sandboxes/{id}/timeout}) gives it another: the latest one the user chose is what a resume grants.
 * <p>
 * A {@code mode} on a write is applied with {@code chmod} run directly (no shell) after the upload, because
 * {@code /files} has no mode parameter.
 */
final class E2bSandbox implements ProviderSandbox {


	private final SandboxInfo initialInfo;

	private final ControlPlane controlPlane;

	private final Envd envd;

	private final EnvdProcesses processes;

	private final EnvdFiles files;

	/** What a resume grants: set at create or attach, replaced by each successful setTimeout. */
	private volatile Duration lifetime;

	E2bSandbox(SandboxInfo initialInfo, ControlPlane controlPlane, Envd envd, Duration defaultTimeout,
			Duration lifetime, Disposable.Composite openStreams) {
		this.initialInfo = initialInfo;
		this.controlPlane = controlPlane;
		this.envd = envd;
		this.processes = new EnvdProcesses(envd, defaultTimeout, openStreams);
		this.files = new EnvdFiles(envd);
		this.lifetime = lifetime;
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
		return this.controlPlane.get(id(), "info").map(this.controlPlane::info).toFuture();
	}

	@Override
	public CompletableFuture<Void> pause() {
		return this.controlPlane.pause(id()).toFuture();
	}

	@Override
	public CompletableFuture<Void> resume() {
		return this.controlPlane.connect(id(), this.lifetime).then().toFuture();
	}

	@Override
	public CompletableFuture<Void> kill() {
		return this.controlPlane.kill(id()).doOnSuccess((ignored) -> this.processes.close()).toFuture();
	}

	/** {@code info()} then reads the new deadline from the control plane's {@code endAt}. */
	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		return this.controlPlane.setTimeout(id(), timeout).doOnSuccess((ignored) -> this.lifetime = timeout).toFuture();
	}

	@Override
	public CompletableFuture<String> portUrl(int port) {
		return CompletableFuture.completedFuture(this.envd.address().portUrl(port));
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
	public CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		return this.processes.kill(pid, gracePeriod, "killProcess");
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
	public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
		return this.files.read(path, maxBytes);
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		return this.files.readStream(path);
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
			@Nullable String user) {
		Flux<DataBuffer> body = UploadBody.of(content);
		return write(path, body, mode, user).toFuture();
	}

	@Override
	public CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user) {
		Flux<DataBuffer> body = UploadBody.of(content);
		return UploadBody.closingAfter(write(path, body, mode, user), content).toFuture();
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

	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		return this.processes.createPty(request, listener);
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return this.processes.sendPtyInput(pid, data);
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return this.processes.resizePty(pid, rows, cols);
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return this.processes.killPty(pid);
	}

	@Override
	public CompletableFuture<Void> killPty(int pid, Duration gracePeriod) {
		return this.processes.kill(pid, gracePeriod, "killPty");
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return this.processes.listPty();
	}

	private Mono<Void> write(String path, Flux<DataBuffer> body, @Nullable Integer mode, @Nullable String user) {
		Mono<Void> upload = this.files.write(path, body, user);
		if (mode == null) {
			return upload;
		}
		String octal = Integer.toOctalString(mode & 07777);
		return upload.then(this.processes.exec("chmod", List.of("--", octal, path), user, "writeFile")
			.flatMap((result) -> (result.exitCode() == 0) ? Mono.<Void>empty()
					: Mono.error(new ProviderException(E2bSettings.PROVIDER, "e2b writeFile: the file was written but "
							+ "chmod " + octal + " failed with exit code " + result.exitCode() + ": "
							+ result.stderr().strip()))));
	}

	/** How many background commands this handle keeps for a later wait (finished ones included); for tests. */
	int keptCommands() {
		return this.processes.keptCommands();
	}


	@Override
	public String toString() {
		return "E2bSandbox[" + id() + ", envd=" + this.envd.address().baseUrl() + "]";
	}

}
