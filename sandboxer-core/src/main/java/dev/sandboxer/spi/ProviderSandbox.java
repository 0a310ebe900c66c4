package dev.sandboxer.spi;

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
import org.jspecify.annotations.Nullable;

/**
 * One sandbox, as a provider implements it. Same rules as {@link SandboxProvider}: asynchronous, typed failures. A
 * sandbox that is gone gives {@link dev.sandboxer.error.NotFoundException} from every operation.
 */
public interface ProviderSandbox {

	String id();

	/** What the provider said when this handle was made (create or attach); no call. */
	SandboxInfo initialInfo();

	CompletableFuture<SandboxInfo> info();

	CompletableFuture<Void> pause();

	CompletableFuture<Void> resume();

	CompletableFuture<Void> kill();

	/**
	 * Makes the sandbox end {@code timeout} from now, replacing its current deadline (or giving it one). The
	 * provider, not this JVM, must end it then; {@link #info()} reports the new deadline afterwards. The timeout
	 * is positive (the client faces check it).
	 */
	CompletableFuture<Void> setTimeout(Duration timeout);

	CompletableFuture<String> portUrl(int port);

	CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener);

	CompletableFuture<CommandHandle> startCommand(StartCommandRequest request);

	/** Waits for a started command; works from any client attached to the same sandbox. */
	CompletableFuture<CommandResult> waitForHandle(String handleId);

	/** SIGKILL at once. */
	CompletableFuture<Void> killProcess(int pid);

	/**
	 * SIGTERM, then SIGKILL when the process still runs after {@code gracePeriod} (positive; a zero grace period
	 * calls {@link #killProcess(int)}). A provider that can send only SIGKILL keeps this default, which refuses.
	 */
	default CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		return CompletableFuture.failedFuture(new NotSupportedException(initialInfo().provider().id(),
				"killProcess with a grace period", "its API can only kill a process outright; use killProcess(pid)"));
	}

	CompletableFuture<List<ProcessInfo>> listProcesses();

	CompletableFuture<byte[]> readFile(String path);

	/**
	 * Reads a whole file of at most {@code maxBytes}; a larger one fails with
	 * {@link dev.sandboxer.error.FileTooLargeException}, at best before it is read. By default it reads the file and
	 * the client faces check its size afterwards; a provider that can stop early overrides it.
	 */
	default CompletableFuture<byte[]> readFile(String path, long maxBytes) {
		return readFile(path);
	}

	/** Opens a file for reading as it streams; the caller closes the stream. */
	CompletableFuture<InputStream> readFileStream(String path);

	/** Writes a whole file, creating parent directories. */
	CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode, @Nullable String user);

	/** Writes a file from a stream without holding it all in memory; the stream is read to its end and closed. */
	CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user);

	CompletableFuture<List<FileInfo>> listDirectory(String path);

	CompletableFuture<Void> makeDir(String path);

	CompletableFuture<Void> remove(String path);

	CompletableFuture<Boolean> exists(String path);

	CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener);

	CompletableFuture<Void> sendPtyInput(int pid, byte[] data);

	CompletableFuture<Void> resizePty(int pid, int rows, int cols);

	CompletableFuture<Void> killPty(int pid);

	/** As {@link #killProcess(int, Duration)}, for a terminal's process. */
	default CompletableFuture<Void> killPty(int pid, Duration gracePeriod) {
		return CompletableFuture.failedFuture(new NotSupportedException(initialInfo().provider().id(),
				"killPty with a grace period", "its API can only kill a terminal outright; use killPty(pid)"));
	}

	CompletableFuture<List<PtyInfo>> listPty();

}
