package dev.sandboxer.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.UnauthorizedException;
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
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;

/**
 * A provider that keeps its sandboxes in memory, for testing the wiring without Docker or a vendor. Like a vendor
 * provider it wants an API key (from {@code api-key} or {@code FAKE_API_KEY}), unless it stands in for
 * {@code local}; it checks a duration extra ({@code poll-interval}); and it refuses pings with the key
 * {@code wrong-key}, as a vendor refuses a revoked key.
 */
public final class FakeProviderFactory implements ProviderFactory {

	public static final String API_KEY_VARIABLE = "FAKE_API_KEY";

	private final ProviderName name;

	public final List<FakeProvider> created = new CopyOnWriteArrayList<>();

	public FakeProviderFactory() {
		this("fake");
	}

	public FakeProviderFactory(String name) {
		this.name = ProviderName.of(name);
	}

	@Override
	public ProviderName name() {
		return this.name;
	}

	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = ProviderName.LOCAL.equals(this.name) ? "" : config.requireApiKey(this.name.id(), API_KEY_VARIABLE);
		config.durationExtra("poll-interval");
		FakeProvider provider = new FakeProvider(this.name, config, apiKey);
		this.created.add(provider);
		return provider;
	}

	/** The only provider made so far. */
	public FakeProvider only() {
		if (this.created.size() != 1) {
			throw new IllegalStateException("Expected one provider, made " + this.created.size());
		}
		return this.created.get(0);
	}

	public static final class FakeProvider implements SandboxProvider {

		final ProviderName name;

		public final ProviderConfig config;

		private final String apiKey;

		public final Map<String, SandboxInfo> sandboxes = new ConcurrentHashMap<>();

		public final AtomicInteger pings = new AtomicInteger();

		public final AtomicBoolean closed = new AtomicBoolean();

		FakeProvider(ProviderName name, ProviderConfig config, String apiKey) {
			this.name = name;
			this.config = config;
			this.apiKey = apiKey;
		}

		@Override
		public ProviderName name() {
			return this.name;
		}

		@Override
		public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
			String id = "fake-" + UUID.randomUUID();
			SandboxInfo info = new SandboxInfo(id, this.name, request.template(), SandboxStatus.RUNNING,
					Instant.now(), null, request.metadata(), null, null);
			this.sandboxes.put(id, info);
			return CompletableFuture.completedFuture(new FakeSandbox(this, info));
		}

		@Override
		public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
			SandboxInfo info = this.sandboxes.get(sandboxId);
			return (info != null) ? CompletableFuture.completedFuture(new FakeSandbox(this, info)) : notFound(sandboxId);
		}

		@Override
		public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
			return CompletableFuture.completedFuture(List.copyOf(this.sandboxes.values()));
		}

		@Override
		public CompletableFuture<Void> killSandbox(String sandboxId) {
			return (this.sandboxes.remove(sandboxId) != null) ? CompletableFuture.completedFuture(null)
					: notFound(sandboxId);
		}

		@Override
		public CompletableFuture<Map<String, String>> ping() {
			this.pings.incrementAndGet();
			if ("wrong-key".equals(this.apiKey)) {
				return CompletableFuture.failedFuture(
						new UnauthorizedException(this.name.id(), "The provider refused the API key (HTTP 401)"));
			}
			return CompletableFuture.completedFuture(Map.of("version", "1.0-fake"));
		}

		@Override
		public void close() {
			this.closed.set(true);
		}

		<T> CompletableFuture<T> notFound(String sandboxId) {
			return CompletableFuture.failedFuture(new NotFoundException(this.name.id(), "No sandbox " + sandboxId));
		}

	}

	/** A sandbox that only knows its life cycle; commands and files are not part of what these tests wire. */
	private record FakeSandbox(FakeProvider provider, SandboxInfo initialInfo) implements ProviderSandbox {

		@Override
		public String id() {
			return this.initialInfo.id();
		}

		@Override
		public CompletableFuture<SandboxInfo> info() {
			SandboxInfo info = this.provider.sandboxes.get(id());
			return (info != null) ? CompletableFuture.completedFuture(info) : this.provider.notFound(id());
		}

		@Override
		public CompletableFuture<Void> kill() {
			return this.provider.killSandbox(id());
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
		public CompletableFuture<Void> setTimeout(Duration timeout) {
			return unsupported();
		}

		@Override
		public CompletableFuture<String> portUrl(int port) {
			return unsupported();
		}

		@Override
		public CompletableFuture<CommandResult> runCommand(RunCommandRequest request, CommandOutputListener listener) {
			return unsupported();
		}

		@Override
		public CompletableFuture<CommandHandle> startCommand(StartCommandRequest request) {
			return unsupported();
		}

		@Override
		public CompletableFuture<CommandResult> waitForHandle(String handleId) {
			return unsupported();
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
			return unsupported();
		}

		@Override
		public CompletableFuture<InputStream> readFileStream(String path) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> writeFile(String path, byte[] content, @Nullable Integer mode,
				@Nullable String user) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> writeFileStream(String path, InputStream content, @Nullable Integer mode,
				@Nullable String user) {
			return unsupported();
		}

		@Override
		public CompletableFuture<List<FileInfo>> listDirectory(String path) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> makeDir(String path) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Void> remove(String path) {
			return unsupported();
		}

		@Override
		public CompletableFuture<Boolean> exists(String path) {
			return unsupported();
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

		private <T> CompletableFuture<T> unsupported() {
			return CompletableFuture.failedFuture(
					new NotSupportedException(this.provider.name.id(), "any", "not part of the fake provider"));
		}

	}

}
