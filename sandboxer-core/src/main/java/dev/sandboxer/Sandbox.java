package dev.sandboxer;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

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
 * One sandbox, blocking. Thread-safe.
 * <p>
 * <b>Closing.</b> {@link #close()} kills the sandbox when this client created it and it was not
 * {@linkplain #detach() detached}; a sandbox that was only attached is let go and keeps running. So
 * {@code try (Sandbox sandbox = sandboxer.createSandbox())} never leaks, and
 * {@code try (Sandbox sandbox = sandboxer.attachSandbox(id))} never kills someone else's sandbox.
 * <p>
 * Once the sandbox is gone (killed, expired), every operation fails with
 * {@link dev.sandboxer.error.NotFoundException}. Paths are taken literally: quotes, {@code $(...)} and spaces in a
 * path are never interpreted by a shell.
 */
public interface Sandbox extends AutoCloseable {

	String id();

	ProviderName provider();

	/** What the provider said when this handle was made, without a call. */
	SandboxInfo initialInfo();

	/** Asks the provider for the current state. */
	SandboxInfo info();

	/** Whether it runs now; a paused sandbox is not running. */
	boolean isRunning();

	void pause();

	void resume();

	/** Kills and removes the sandbox; whoever created it. */
	void kill();

	/**
	 * Sets how long the sandbox may live from now, replacing the lifetime it was created with or last given: the
	 * provider ends it at that moment by itself, even if this JVM is gone. It shortens as well as lengthens, and
	 * gives a sandbox created without a timeout one.
	 * <p>
	 * Afterwards {@link #info()} reports the new deadline as {@link SandboxInfo#expiresAt()};
	 * {@link #initialInfo()} keeps what was known when this handle was made.
	 * @param timeout positive; providers count in whole seconds, rounding up
	 */
	void setTimeout(Duration timeout);

	/** A URL that reaches a port of the sandbox from here. */
	String portUrl(int port);

	/** Runs a shell command to its end with the client's default command timeout ({@code command-timeout}, 60 s). */
	CommandResult runCommand(String command);

	CommandResult runCommand(RunCommandRequest request);

	/** Runs a command and hands its output to a listener as it arrives; the result still holds all of it. */
	CommandResult runCommand(RunCommandRequest request, CommandOutputListener listener);

	/** Starts a command in the background; its pid is the sandbox's own, usable with {@link #killProcess}. */
	CommandHandle startCommand(StartCommandRequest request);

	/**
	 * Waits for a started command to end, for as long as it runs; works from any client attached to this sandbox.
	 * Use {@link #waitForHandle(String, Duration)} to bound the wait.
	 */
	CommandResult waitForHandle(String handleId);

	/**
	 * Waits for a started command to end, at most {@code timeout}.
	 * @throws dev.sandboxer.error.ProviderTimeoutException when the command has not ended by then; the command
	 * keeps running and can be waited for again
	 */
	CommandResult waitForHandle(String handleId, Duration timeout);

	/** Kills a process (and its process group, where the provider keeps one) with SIGKILL, at once. */
	void killProcess(int pid);

	/**
	 * Ends a process gently: SIGTERM first, then SIGKILL if it still runs once {@code gracePeriod} is over, so that
	 * it can clean up. Returns when it ended or was killed. A zero grace period is {@link #killProcess(int)}.
	 * @throws dev.sandboxer.error.NotSupportedException where the provider can only kill outright and the grace
	 * period is not zero
	 */
	void killProcess(int pid, Duration gracePeriod);

	List<ProcessInfo> listProcesses();

	/**
	 * Reads a whole file into memory.
	 * @throws dev.sandboxer.error.FileTooLargeException for a file larger than the client's limit
	 * ({@code SandboxerBuilder.maxReadFileBytes}, 64 MiB by default); read such a file with {@link #readFileStream}
	 */
	byte[] readFile(String path);

	/** Streams a file without holding it in memory. The caller closes the stream. */
	InputStream readFileStream(String path);

	/** Writes a file, creating its parent directories. */
	void writeFile(String path, byte[] content);

	/**
	 * Writes a file, creating its parent directories.
	 * @param mode Unix permission bits such as {@code 0644}; the provider's default when {@code null}
	 * @param user the owner; the sandbox's default user when {@code null}
	 */
	void writeFile(String path, byte[] content, @Nullable Integer mode, @Nullable String user);

	/** Writes a file from a stream, read to its end and closed, without holding it all in memory. */
	void writeFile(String path, InputStream content, @Nullable Integer mode, @Nullable String user);

	/** The entries of a directory, dotfiles included, without {@code .} and {@code ..}. */
	List<FileInfo> listDirectory(String path);

	/** Makes a directory and its parents; nothing happens when it exists. */
	void makeDir(String path);

	/** Removes a file or a directory with everything in it. */
	void remove(String path);

	boolean exists(String path);

	/** Opens a terminal. Its output goes to the listener; send keystrokes with {@link #sendPtyInput}. */
	PtyInfo createPty(CreatePtyRequest request, PtyListener listener);

	void sendPtyInput(int pid, byte[] data);

	void resizePty(int pid, int rows, int cols);

	void killPty(int pid);

	/** Ends a terminal's process gently, as {@link #killProcess(int, Duration)} does. */
	void killPty(int pid, Duration gracePeriod);

	List<PtyInfo> listPty();

	/** Lets go of ownership: {@link #close()} and the client's close will no longer kill this sandbox. */
	void detach();

	/** The same sandbox, asynchronous. */
	AsyncSandbox async();

	/** Kills the sandbox if this client created it and it was not detached; otherwise lets go. Idempotent. */
	@Override
	void close();

}
