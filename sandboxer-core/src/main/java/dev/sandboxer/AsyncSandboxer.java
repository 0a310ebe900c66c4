package dev.sandboxer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;

/**
 * The asynchronous face of {@link Sandboxer}: the same operations and names, each returning a
 * {@link CompletableFuture} that fails with a {@link dev.sandboxer.error.SandboxerException}. Ownership and
 * {@link #close()} work as described on {@link Sandboxer}.
 */
public interface AsyncSandboxer extends AutoCloseable {

	static AsyncSandboxer create(String provider) {
		return Sandboxer.builder(provider).buildAsync();
	}

	static AsyncSandboxer create(String provider, ProviderConfig config) {
		return Sandboxer.builder(provider).config(config).buildAsync();
	}

	String name();

	ProviderName type();

	CompletableFuture<AsyncSandbox> createSandbox();

	CompletableFuture<AsyncSandbox> createSandbox(CreateSandboxRequest request);

	CompletableFuture<AsyncSandbox> attachSandbox(String sandboxId);

	CompletableFuture<List<SandboxInfo>> listSandboxes();

	CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter);

	CompletableFuture<Void> killSandbox(String sandboxId);

	CompletableFuture<Map<String, String>> ping();

	List<String> ownedSandboxIds();

	/** The same client, blocking. */
	Sandboxer blocking();

	@Override
	void close();

}
