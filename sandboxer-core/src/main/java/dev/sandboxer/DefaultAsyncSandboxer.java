package dev.sandboxer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.observation.SandboxerOperation;

/** The asynchronous client: a thin layer over the provider SPI. */
final class DefaultAsyncSandboxer implements AsyncSandboxer {

	private static final CreateSandboxRequest DEFAULT_REQUEST = CreateSandboxRequest.builder().build();

	private final ClientCore core;

	private final BlockingSandboxer blocking;

	DefaultAsyncSandboxer(ClientCore core) {
		this.core = core;
		this.blocking = new BlockingSandboxer(this);
	}

	ClientCore core() {
		return this.core;
	}

	@Override
	public String name() {
		return this.core.name;
	}

	@Override
	public ProviderName type() {
		return this.core.provider.name();
	}

	@Override
	public CompletableFuture<AsyncSandbox> createSandbox() {
		return createSandbox(DEFAULT_REQUEST);
	}

	@Override
	public CompletableFuture<AsyncSandbox> createSandbox(CreateSandboxRequest request) {
		Objects.requireNonNull(request, "request");
		// Owned inside ClientCore.create, not in a stage of the future returned here: cancelling that future must not
		// skip the ownership of a sandbox the provider goes on to create.
		return this.core.create(() -> this.core.provider.createSandbox(request));
	}

	@Override
	public CompletableFuture<AsyncSandbox> attachSandbox(String sandboxId) {
		Ids.requireId(sandboxId);
		return this.core
			.observe(SandboxerOperation.ATTACH_SANDBOX, sandboxId, () -> this.core.provider.attachSandbox(sandboxId))
			.thenApply((attached) -> new DefaultAsyncSandbox(this.core, attached, false));
	}

	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes() {
		return listSandboxes(ListSandboxesFilter.all());
	}

	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		Objects.requireNonNull(filter, "filter");
		return this.core.observe(SandboxerOperation.LIST_SANDBOXES, null,
				() -> this.core.provider.listSandboxes(filter));
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		Ids.requireId(sandboxId);
		return this.core
			.observe(SandboxerOperation.KILL_SANDBOX, sandboxId, () -> this.core.provider.killSandbox(sandboxId))
			.whenComplete((ignored, error) -> {
				if (error == null || error instanceof NotFoundException) {
					this.core.owned.release(sandboxId);
				}
			});
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.core.observe(SandboxerOperation.PING, null, this.core.provider::ping);
	}

	@Override
	public List<String> ownedSandboxIds() {
		return this.core.owned.ids();
	}

	@Override
	public Sandboxer blocking() {
		return this.blocking;
	}

	@Override
	public void close() {
		this.core.close();
	}

	@Override
	public String toString() {
		return "AsyncSandboxer[name=" + name() + ", type=" + type() + "]";
	}

}
