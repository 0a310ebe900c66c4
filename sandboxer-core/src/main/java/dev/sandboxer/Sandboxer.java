package dev.sandboxer;

import java.util.List;
import java.util.Map;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;

/**
 * A blocking client for one provider instance. Thread-safe; make one per provider and share it.
 * <p>
 * <b>Who closes what.</b> {@link #close()} kills every sandbox this client created and did not
 * {@linkplain Sandbox#detach() detach} or kill, then releases connections and threads. Sandboxes it only
 * {@linkplain #attachSandbox attached} are left running. {@link #async()} is the same client with a
 * {@code CompletableFuture} face: closing either closes both.
 * <p>
 * Failures are unchecked {@link dev.sandboxer.error.SandboxerException}s.
 */
public interface Sandboxer extends AutoCloseable {

	/** A client for a provider type, configured from its environment variables alone (for example {@code local}). */
	static Sandboxer create(String provider) {
		return builder(provider).build();
	}

	static Sandboxer create(String provider, ProviderConfig config) {
		return builder(provider).config(config).build();
	}

	/** A builder for the clients of a provider type ({@code e2b}, {@code local}, ...). */
	static SandboxerBuilder builder(String provider) {
		return new SandboxerBuilder(provider);
	}

	/** The name this instance was configured under ({@code e2b-eu}); the type when none was given. */
	String name();

	/** The provider type. */
	ProviderName type();

	/** Creates a sandbox from the provider's default template. */
	Sandbox createSandbox();

	/** Creates a sandbox; this client owns it until it is killed or detached. */
	Sandbox createSandbox(CreateSandboxRequest request);

	/**
	 * A handle to a sandbox that already exists (created elsewhere or earlier). Not owned: closing the handle or this
	 * client leaves it running.
	 */
	Sandbox attachSandbox(String sandboxId);

	List<SandboxInfo> listSandboxes();

	List<SandboxInfo> listSandboxes(ListSandboxesFilter filter);

	/** Kills a sandbox by id. */
	void killSandbox(String sandboxId);

	/**
	 * Proves the provider is reachable and accepts the credentials with its cheapest call. Returns details that are
	 * safe to show.
	 */
	Map<String, String> ping();

	/** Ids of the sandboxes this client created and has neither killed nor detached. */
	List<String> ownedSandboxIds();

	/** The same client, asynchronous. */
	AsyncSandboxer async();

	/**
	 * Kills owned sandboxes (bounded in time, failures logged), then releases resources. Idempotent. A client built
	 * with {@link SandboxerBuilder#killOwnedOnClose(boolean) killOwnedOnClose(false)} leaves them running instead and
	 * logs their ids.
	 */
	@Override
	void close();

}
