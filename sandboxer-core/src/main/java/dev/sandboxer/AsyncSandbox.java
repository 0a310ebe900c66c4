package dev.sandboxer;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.StartCommandRequest;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous face of {@link Sandbox}: the same operations and rules, each returning a
 * {@link CompletableFuture}.
 */
public interface AsyncSandbox extends AutoCloseable {

	String id();

	ProviderName provider();

	SandboxInfo initialInfo();

	CompletableFuture<SandboxInfo> info();

	CompletableFuture<Boolean> isRunning();

	CompletableFuture<Void> pause();

	CompletableFuture<Void> resume();

	CompletableFuture<Void> kill();

	/** See {@link Sandbox#setTimeout(Duration)}. */
	CompletableFuture<Void> setTimeout(Duration timeout);

	CompletableFuture<String> portUrl(int port);

	CompletableFuture<CommandResult> runCommand(String command);

	CompletableFuture<CommandResult> runCommand(RunCommandRequest request);

	CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener);

	CompletableFuture<CommandHandle> startCommand(StartCommandRequest request);

	/** See {@link Sandbox#waitForHandle(String)}. */
	CompletableFuture<CommandResult> waitForHandle(String handleId);

	/** See {@link Sandbox#waitForHandle(String, Duration)}. */
	CompletableFuture<CommandResult> waitForHandle(String handleId, Duration timeout);

	CompletableFuture<Void> killProcess(int pid);

	/** See {@link Sandbox#killProcess(int, Duration)}. */
	CompletableFuture<Void> killProcess(int pid, Duration gracePeriod);

	CompletableFuture<List<ProcessInfo>> listProcesses();

	CompletableFuture<byte[]> readFile(String path);

	CompletableFuture<InputStream> readFileStream(String path);

	CompletableFuture<Void> writeFile(String path, byte[] content);

	CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode, @Nullable String user);

	CompletableFuture<Void> writeFile(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user);

	CompletableFuture<List<FileInfo>> listDirectory(String path);

	CompletableFuture<Void> makeDir(String path);

	CompletableFuture<Void> remove(String path);

	CompletableFuture<Boolean> exists(String path);

	CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener);

	CompletableFuture<Void> sendPtyInput(int pid, byte[] data);

	CompletableFuture<Void> resizePty(int pid, int rows, int cols);

	CompletableFuture<Void> killPty(int pid);

	/** See {@link Sandbox#killPty(int, Duration)}. */
	CompletableFuture<Void> killPty(int pid, Duration gracePeriod);

	CompletableFuture<List<PtyInfo>> listPty();

	void detach();

	/** The same sandbox, blocking. */
	Sandbox blocking();

	/** Kills the sandbox if this client created it and it was not detached, and waits for that; else lets go. */
	@Override
	void close();

}
