package dev.sandboxer.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;

/**
 * A provider that keeps sandboxes in a map, to test what sits on top of any provider (ownership, close, error typing,
 * observations, the Spring Boot wiring) without Docker or a vendor. Files are the only sandbox content it models;
 * a command "runs" by echoing itself. Shared with other modules through this module's test jar.
 */
public class InMemoryProvider implements SandboxProvider {

	/** The live sandboxes, each with its files by path. */
	public final Map<String, Map<String, byte[]>> sandboxes = new ConcurrentHashMap<>();

	public final AtomicInteger kills = new AtomicInteger();

	public final AtomicInteger pings = new AtomicInteger();

	/** The deadline each sandbox was last given with setTimeout; none has one before. */
	public final Map<String, Instant> deadlines = new ConcurrentHashMap<>();

	public final AtomicBoolean closed = new AtomicBoolean();

	/** Every command request a sandbox received, as the provider saw it. */
	public final List<RunCommandRequest> runRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

	/** Every waitForHandle under way: they never end by themselves, so a test sees them cancelled. */
	public final List<CompletableFuture<CommandResult>> waits = new java.util.concurrent.CopyOnWriteArrayList<>();

	/** When set, every sandbox operation fails with what this supplies. */
	public volatile Supplier<RuntimeException> failure;

	private final ProviderName name;

	private final AtomicInteger ids = new AtomicInteger();

	public InMemoryProvider() {
		this(ProviderName.of("in-memory"));
	}

	public InMemoryProvider(ProviderName name) {
		this.name = name;
	}

	@Override
	public ProviderName name() {
		return this.name;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		String id = this.name.id() + "-" + this.ids.incrementAndGet();
		this.sandboxes.put(id, new ConcurrentHashMap<>());
		return CompletableFuture.completedFuture(new Handle(id));
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return call(sandboxId, () -> new Handle(sandboxId));
	}

	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return CompletableFuture.completedFuture(this.sandboxes.keySet().stream().sorted().map(this::info).toList());
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return call(sandboxId, () -> {
			this.sandboxes.remove(sandboxId);
			this.kills.incrementAndGet();
			return null;
		});
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		this.pings.incrementAndGet();
		return CompletableFuture.completedFuture(Map.of("sandboxes", String.valueOf(this.sandboxes.size())));
	}

	@Override
	public void close() {
		this.closed.set(true);
	}

	private SandboxInfo info(String id) {
		return new SandboxInfo(id, name(), "memory", SandboxStatus.RUNNING, Instant.EPOCH, this.deadlines.get(id),
				Map.of(), null, null);
	}

	private <T> CompletableFuture<T> call(String sandboxId, Supplier<T> action) {
		if (this.failure != null) {
			return CompletableFuture.failedFuture(this.failure.get());
		}
		if (!this.sandboxes.containsKey(sandboxId)) {
			return CompletableFuture.failedFuture(new NotFoundException(this.name.id(), "No sandbox " + sandboxId));
		}
		return CompletableFuture.completedFuture(action.get());
	}

	private static <T> CompletableFuture<T> unsupported() {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("not modelled"));
	}

	private final class Handle implements ProviderSandbox {

		private final String id;

		private final SandboxInfo initialInfo;

		Handle(String id) {
			this.id = id;
			this.initialInfo = InMemoryProvider.this.info(id);
		}

		private Map<String, byte[]> files() {
			return InMemoryProvider.this.sandboxes.get(this.id);
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
			return call(this.id, () -> InMemoryProvider.this.info(this.id));
		}

		@Override
		public CompletableFuture<Void> pause() {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> resume() {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> kill() {
			return killSandbox(this.id);
		}

		@Override
		public CompletableFuture<Void> setTimeout(Duration timeout) {
			return call(this.id, () -> {
				InMemoryProvider.this.deadlines.put(this.id, Instant.now().plus(timeout));
				return null;
			});
		}

		@Override
		public CompletableFuture<String> portUrl(int port) {
			return call(this.id, () -> "http://127.0.0.1:" + port);
		}

		@Override
		public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
			InMemoryProvider.this.runRequests.add(request);
			return call(this.id, () -> {
				listener.onStdout(request.command());
				return new CommandResult(request.command(), "", 0, 1, false, null);
			});
		}

		@Override
		public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
			return unsupported();
		}

		@Override
		public CompletableFuture<CommandResult> waitForHandle(String handleId) {
			CompletableFuture<CommandResult> waiting = new CompletableFuture<>();
			InMemoryProvider.this.waits.add(waiting);
			return waiting;
		}

		@Override
		public CompletableFuture<Void> killProcess(int pid) {
			return unsupported();
		}

		@Override
		public CompletableFuture<List<ProcessInfo>> listProcesses() {
			return unsupported();
		}

		@Override
		public CompletableFuture<byte[]> readFile(String path) {
			return call(this.id, () -> {
				byte[] content = files().get(path);
				if (content == null) {
					throw new NotFoundException(InMemoryProvider.this.name.id(), "No file " + path);
				}
				return content;
			});
		}

		@Override
		public CompletableFuture<InputStream> readFileStream(String path) {
			return readFile(path).thenApply(ByteArrayInputStream::new);
		}

		@Override
		public CompletableFuture<Void> writeFile(String path, byte[] content, Integer mode, String user) {
			return call(this.id, () -> {
				files().put(path, content.clone());
				return null;
			});
		}

		@Override
		public CompletableFuture<Void> writeFileStream(String path, InputStream content, Integer mode, String user) {
			try (content) {
				return writeFile(path, content.readAllBytes(), mode, user);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public CompletableFuture<List<FileInfo>> listDirectory(String path) {
			return call(this.id, () -> new ArrayList<>(files().keySet()).stream()
				.sorted()
				.map((name) -> new FileInfo(name, name, false, files().get(name).length, null))
				.toList());
		}

		@Override
		public CompletableFuture<Void> makeDir(String path) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> remove(String path) {
			return call(this.id, () -> {
				files().remove(path);
				return null;
			});
		}

		@Override
		public CompletableFuture<Boolean> exists(String path) {
			return call(this.id, () -> files().containsKey(path));
		}

		@Override
		public CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> killPty(int pid) {
			return unsupported();
		}

		@Override
		public CompletableFuture<List<PtyInfo>> listPty() {
			return unsupported();
		}

	}

}
