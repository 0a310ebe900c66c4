package dev.sandboxer.spi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;

/**
 * The contract a provider implements, once: the public blocking and asynchronous clients are both thin layers over
 * it. Every method returns at once; failures complete the future exceptionally with a
 * {@link dev.sandboxer.error.SandboxerException}. A provider whose transport blocks runs its calls on its own
 * executor.
 */
public interface SandboxProvider extends AutoCloseable {

	ProviderName name();

	CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request);

	/** A handle to an existing sandbox; {@link dev.sandboxer.error.NotFoundException} when there is none. */
	CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId);

	CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter);

	/** Kills and removes; {@link dev.sandboxer.error.NotFoundException} when there is no such sandbox. */
	CompletableFuture<Void> killSandbox(String sandboxId);

	/**
	 * A cheap call that proves the provider is reachable and accepts the credentials, for health checks. Returns
	 * details that are safe to show (a version, an endpoint), never a secret.
	 */
	CompletableFuture<Map<String, String>> ping();

	/**
	 * Whether a thread is one of this provider's non-blocking transport threads (a Netty event loop). The blocking
	 * face refuses to wait on such a thread, where it would hold up the answer it waits for. False by default, for
	 * providers whose transport has no event loop.
	 */
	default boolean isEventLoopThread(Thread thread) {
		return false;
	}

	/** Releases connections and threads. Does not kill sandboxes. */
	@Override
	void close();

}
