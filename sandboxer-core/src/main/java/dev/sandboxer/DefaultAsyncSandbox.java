package dev.sandboxer;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sandboxer.error.FileTooLargeException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderTimeoutException;
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
import dev.sandboxer.observation.SandboxerOperation;
import dev.sandboxer.spi.ProviderSandbox;
import org.jspecify.annotations.Nullable;

/** The asynchronous sandbox: checks arguments, observes the call, keeps track of ownership. */
final class DefaultAsyncSandbox implements AsyncSandbox {

	private final ClientCore core;

	private final ProviderSandbox delegate;

	private final boolean createdHere;

	/** Set once the sandbox is killed or detached: from then on nobody here owns it. */
	private final AtomicBoolean released = new AtomicBoolean();

	private final BlockingSandbox blocking;

	DefaultAsyncSandbox(ClientCore core, ProviderSandbox delegate, boolean createdHere) {
		this.core = core;
		this.delegate = delegate;
		this.createdHere = createdHere;
		this.released.set(!createdHere);
		this.blocking = new BlockingSandbox(this);
	}

	ClientCore core() {
		return this.core;
	}

	@Override
	public String id() {
		return this.delegate.id();
	}

	@Override
	public ProviderName provider() {
		return this.core.provider.name();
	}

	@Override
	public SandboxInfo initialInfo() {
		return this.delegate.initialInfo();
	}

	@Override
	public CompletableFuture<SandboxInfo> info() {
		return observe(SandboxerOperation.INFO, this.delegate::info);
	}

	@Override
	public CompletableFuture<Boolean> isRunning() {
		return mapped(info(), SandboxInfo::isRunning);
	}

	@Override
	public CompletableFuture<Void> pause() {
		return observe(SandboxerOperation.PAUSE, this.delegate::pause);
	}

	@Override
	public CompletableFuture<Void> resume() {
		return observe(SandboxerOperation.RESUME, this.delegate::resume);
	}

	@Override
	public CompletableFuture<Void> kill() {
		return observe(SandboxerOperation.KILL, this.delegate::kill).whenComplete(this::releaseIfGone);
	}

	/** The kill a closing client makes, allowed after it stopped taking calls. */
	CompletableFuture<Void> killForCleanup() {
		return this.core.observeWhileClosing(SandboxerOperation.KILL, id(), this.delegate::kill)
			.whenComplete(this::releaseIfGone);
	}

	private void releaseIfGone(@Nullable Void ignored, @Nullable Throwable error) {
		if (error == null || error instanceof NotFoundException) {
			release();
		}
	}

	@Override
	public CompletableFuture<Void> setTimeout(Duration timeout) {
		Ids.requireTimeout(timeout);
		return observe(SandboxerOperation.SET_TIMEOUT, () -> this.delegate.setTimeout(timeout));
	}

	@Override
	public CompletableFuture<String> portUrl(int port) {
		Ids.requirePort(port);
		return observe(SandboxerOperation.PORT_URL, () -> this.delegate.portUrl(port));
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(String command) {
		return runCommand(RunCommandRequest.of(command), CommandOutputListener.NONE);
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request) {
		return runCommand(request, CommandOutputListener.NONE);
	}

	@Override
	public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
		Objects.requireNonNull(request, "request");
		CommandOutputListener target = (listener != null) ? listener : CommandOutputListener.NONE;
		// Every provider gets a timeout: the request's, else the one default of this client.
		RunCommandRequest bounded = (request.timeout() != null) ? request
				: request.withTimeout(this.core.limits.commandTimeout());
		int cap = this.core.limits.maxOutputChars();
		return mapped(observe(SandboxerOperation.RUN_COMMAND, () -> this.delegate.runCommand(bounded, target)),
				(result) -> result.capped(cap));
	}

	@Override
	public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
		Objects.requireNonNull(request, "request");
		return observe(SandboxerOperation.START_COMMAND, () -> this.delegate.startCommand(request));
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId) {
		if (handleId == null || handleId.isBlank()) {
			throw new IllegalArgumentException("A handle id is required");
		}
		int cap = this.core.limits.maxOutputChars();
		return mapped(observe(SandboxerOperation.WAIT_FOR_HANDLE, () -> this.delegate.waitForHandle(handleId)),
				(result) -> result.capped(cap));
	}

	@Override
	public CompletableFuture<CommandResult> waitForHandle(String handleId, Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A wait timeout is positive, got " + timeout);
		}
		CompletableFuture<CommandResult> waiting = waitForHandle(handleId);
		CompletableFuture<CommandResult> bounded = new CompletableFuture<>();
		AtomicBoolean gaveUp = new AtomicBoolean();
		waiting.whenComplete((result, error) -> {
			if (gaveUp.get()) {
				return;
			}
			if (error != null) {
				bounded.completeExceptionally(error);
			}
			else {
				bounded.complete(result);
			}
		});
		CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, CallbackThreads.executor())
			.execute(() -> {
				if (bounded.isDone() || !gaveUp.compareAndSet(false, true)) {
					return;
				}
				// Stops the provider's wait (its stream), not the command; before the caller hears of it.
				waiting.cancel(true);
				bounded.completeExceptionally(new ProviderTimeoutException(provider().id(), "waitForHandle "
						+ handleId + " in sandbox " + id() + " gave up after " + timeout
						+ "; the command keeps running and can be waited for again", null).reportedBy(this.core.name));
			});
		// Cancelling the bounded wait cancels the provider's.
		bounded.whenComplete((result, error) -> {
			if (bounded.isCancelled()) {
				waiting.cancel(true);
			}
		});
		return bounded;
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid) {
		Ids.requirePid(pid);
		return observe(SandboxerOperation.KILL_PROCESS, () -> this.delegate.killProcess(pid));
	}

	@Override
	public CompletableFuture<Void> killProcess(int pid, Duration gracePeriod) {
		Ids.requirePid(pid);
		Ids.requireGracePeriod(gracePeriod);
		return observe(SandboxerOperation.KILL_PROCESS, () -> gracePeriod.isZero() ? this.delegate.killProcess(pid)
				: this.delegate.killProcess(pid, gracePeriod));
	}

	@Override
	public CompletableFuture<List<ProcessInfo>> listProcesses() {
		return observe(SandboxerOperation.LIST_PROCESSES, this.delegate::listProcesses);
	}

	@Override
	public CompletableFuture<byte[]> readFile(String path) {
		Ids.requirePath(path);
		long limit = this.core.limits.maxReadFileBytes();
		return mapped(observe(SandboxerOperation.READ_FILE, () -> this.delegate.readFile(path, limit)), (content) -> {
			// Providers stop reading at the limit; this keeps the promise for one that read it all.
			if (content.length > limit) {
				throw (FileTooLargeException) new FileTooLargeException(provider().id(), path, limit)
					.reportedBy(this.core.name);
			}
			return content;
		});
	}

	@Override
	public CompletableFuture<InputStream> readFileStream(String path) {
		Ids.requirePath(path);
		return observe(SandboxerOperation.READ_FILE, () -> this.delegate.readFileStream(path));
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content) {
		return writeFile(path, content, null, null);
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
			@Nullable String user) {
		Ids.requirePath(path);
		Objects.requireNonNull(content, "content");
		requireMode(mode);
		return observe(SandboxerOperation.WRITE_FILE, () -> this.delegate.writeFile(path, content, mode, user));
	}

	@Override
	public CompletableFuture<Void> writeFile(String path, InputStream content, @Nullable Integer mode,
			@Nullable String user) {
		Ids.requirePath(path);
		Objects.requireNonNull(content, "content");
		requireMode(mode);
		return observe(SandboxerOperation.WRITE_FILE, () -> this.delegate.writeFileStream(path, content, mode, user));
	}

	private static void requireMode(@Nullable Integer mode) {
		if (mode != null && (mode < 0 || mode > 07777)) {
			throw new IllegalArgumentException("A file mode is between 0 and 07777, got 0" + Integer.toOctalString(mode));
		}
	}

	@Override
	public CompletableFuture<List<FileInfo>> listDirectory(String path) {
		Ids.requirePath(path);
		return observe(SandboxerOperation.LIST_DIRECTORY, () -> this.delegate.listDirectory(path));
	}

	@Override
	public CompletableFuture<Void> makeDir(String path) {
		Ids.requirePath(path);
		return observe(SandboxerOperation.MAKE_DIR, () -> this.delegate.makeDir(path));
	}

	@Override
	public CompletableFuture<Void> remove(String path) {
		Ids.requirePath(path);
		return observe(SandboxerOperation.REMOVE, () -> this.delegate.remove(path));
	}

	@Override
	public CompletableFuture<Boolean> exists(String path) {
		Ids.requirePath(path);
		return observe(SandboxerOperation.EXISTS, () -> this.delegate.exists(path));
	}

	@Override
	public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		Objects.requireNonNull(request, "request");
		PtyListener target = (listener != null) ? listener : PtyListener.NONE;
		return observe(SandboxerOperation.CREATE_PTY, () -> this.delegate.createPty(request, target));
	}

	@Override
	public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		Ids.requirePid(pid);
		Objects.requireNonNull(data, "data");
		return observe(SandboxerOperation.SEND_PTY_INPUT, () -> this.delegate.sendPtyInput(pid, data));
	}

	@Override
	public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		Ids.requirePid(pid);
		Ids.requireSize(rows, cols);
		return observe(SandboxerOperation.RESIZE_PTY, () -> this.delegate.resizePty(pid, rows, cols));
	}

	@Override
	public CompletableFuture<Void> killPty(int pid) {
		Ids.requirePid(pid);
		return observe(SandboxerOperation.KILL_PTY, () -> this.delegate.killPty(pid));
	}

	@Override
	public CompletableFuture<Void> killPty(int pid, Duration gracePeriod) {
		Ids.requirePid(pid);
		Ids.requireGracePeriod(gracePeriod);
		return observe(SandboxerOperation.KILL_PTY,
				() -> gracePeriod.isZero() ? this.delegate.killPty(pid) : this.delegate.killPty(pid, gracePeriod));
	}

	@Override
	public CompletableFuture<List<PtyInfo>> listPty() {
		return observe(SandboxerOperation.LIST_PTY, this.delegate::listPty);
	}

	@Override
	public void detach() {
		release();
	}

	private void release() {
		if (this.released.compareAndSet(false, true)) {
			this.core.owned.release(id());
		}
	}

	/** Whether closing this handle kills the sandbox. */
	boolean isOwned() {
		return this.createdHere && !this.released.get();
	}

	@Override
	public Sandbox blocking() {
		return this.blocking;
	}

	@Override
	public void close() {
		if (isOwned()) {
			try {
				Await.result(this.core, this.core.isClosed() ? killForCleanup() : kill());
			}
			catch (NotFoundException ex) {
				// Already gone: nothing left to clean up.
			}
		}
	}

	/** A mapped future whose cancellation reaches the source, and so the provider's work. */
	private static <T, R> CompletableFuture<R> mapped(CompletableFuture<T> source,
			java.util.function.Function<T, R> mapping) {
		CompletableFuture<R> result = source.thenApply(mapping);
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				source.cancel(true);
			}
		});
		return result;
	}

	private <T> CompletableFuture<T> observe(SandboxerOperation operation,
			java.util.function.Supplier<CompletableFuture<T>> call) {
		return this.core.observe(operation, id(), call);
	}

	@Override
	public String toString() {
		return "AsyncSandbox[id=" + id() + ", provider=" + this.core.name + ", owned=" + isOwned() + "]";
	}

}
