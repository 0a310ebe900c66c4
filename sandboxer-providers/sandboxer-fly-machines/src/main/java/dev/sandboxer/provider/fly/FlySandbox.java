package dev.sandboxer.provider.fly;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotSupportedException;
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
 * One Fly Machine. Lifecycle through the Machines API ({@code suspend}, {@code start}, {@code DELETE ?force=true}),
 * commands and files through its {@code exec} endpoint, processes through {@code ps}. Terminals are not supported:
 * the API's exec is one request and one answer, with no way to stream input or output.
 */
final class FlySandbox implements ProviderSandbox {

	private final SandboxInfo initialInfo;

	private final Machines machines;

	private final GuestCommands commands;

	private final GuestFiles files;

	private final Lifetime lifetime;

	FlySandbox(SandboxInfo initialInfo, Machines machines, GuestCommands commands, GuestFiles files,
			Lifetime lifetime) {
		this.initialInfo = initialInfo;
		this.machines = machines;
		this.commands = commands;
		this.files = files;
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
		return this.machines.info(id(), "info").toFuture();
	}

	@Override
	public CompletableFuture<Void> pause() {
		return this.machines.pause(id()).toFuture();
	}

	@Override
	public CompletableFuture<Void> resume() {
		return this.machines.resume(id()).toFuture();
	}

	@Override
	public CompletableFuture<Void> kill() {
		return this.machines.destroy(id(), "kill").toFuture();
	}

	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		return this.lifetime.move(id(), timeout).toFuture();
	}

	@Override
	public CompletableFuture<String> portUrl(int port) {
		return this.machines.portUrl(id(), port).toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		return this.commands.run(request, listener).toFuture();
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		return this.commands.start(request).toFuture();
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		return this.commands.waitFor(handleId).toFuture();
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		return this.commands.kill(pid).toFuture();
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return this.commands.list().toFuture();
	}

	@Override
	public CompletableFuture<byte[]> readFile(String path) {
		return this.files.read(path).toFuture();
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		return this.files.open(path).toFuture();
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
			@Nullable String user) {
		return this.files.write(path, content, mode, user).toFuture();
	}

	@Override
	public CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user) {
		return this.files.write(path, content, mode, user).doFinally((signal) -> closeQuietly(content)).toFuture();
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
		return CompletableFuture.failedFuture(noTerminals("createPty"));
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return CompletableFuture.failedFuture(noTerminals("sendPtyInput"));
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return CompletableFuture.failedFuture(noTerminals("resizePty"));
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		return CompletableFuture.failedFuture(noTerminals("killPty"));
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return CompletableFuture.failedFuture(noTerminals("listPty"));
	}

	private static NotSupportedException noTerminals(String operation) {
		return new NotSupportedException(FlySettings.PROVIDER, operation,
				"the Machines API's exec takes one request and gives one answer, with no stream for a terminal's "
						+ "input or output; use runCommand or startCommand, or 'fly ssh console' for an interactive "
						+ "shell");
	}

	private static void closeQuietly(InputStream content) {
		try {
			content.close();
		}
		catch (java.io.IOException ex) {
			// The upload's own outcome is what the caller needs; a failing close adds nothing to it.
		}
	}

	@Override
	public String toString() {
		return "FlySandbox[" + id() + "]";
	}

}
