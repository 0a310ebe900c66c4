package dev.sandboxer.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandboxer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured {@link Sandboxer}, by the name of its entry under {@code sandboxer.providers}. Lookups are strict:
 * a name that is not configured is an error, never a new client.
 * <p>
 * The registry owns its clients: {@link #close()} closes them all at once, so shutdown waits for the slowest
 * provider, not for the sum of them.
 */
public final class Sandboxers implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Sandboxers.class);

	private final Map<String, Sandboxer> sandboxers;

	private final @Nullable String defaultName;

	private Sandboxers(Map<String, Sandboxer> sandboxers, @Nullable String defaultName) {
		this.sandboxers = Collections.unmodifiableMap(new LinkedHashMap<>(sandboxers));
		this.defaultName = defaultName;
	}

	/**
	 * A registry of these clients, in this order.
	 * @param defaultName the name {@link #getDefault()} returns, or {@code null} for none
	 * @throws NoSuchSandboxerException if the default name is not among the clients
	 */
	public static Sandboxers of(Map<String, Sandboxer> sandboxers, @Nullable String defaultName) {
		if (defaultName != null && !sandboxers.containsKey(defaultName)) {
			throw new NoSuchSandboxerException(defaultName, sandboxers.keySet());
		}
		return new Sandboxers(sandboxers, defaultName);
	}

	/**
	 * The client of an entry.
	 * @throws NoSuchSandboxerException listing the configured names, when there is no such entry
	 */
	public Sandboxer get(String name) {
		Sandboxer sandboxer = this.sandboxers.get(name);
		if (sandboxer == null) {
			throw new NoSuchSandboxerException(name, this.sandboxers.keySet());
		}
		return sandboxer;
	}

	/**
	 * The asynchronous face of the client of an entry (the same client as {@link #get(String)}).
	 * @throws NoSuchSandboxerException listing the configured names, when there is no such entry
	 */
	public AsyncSandboxer getAsync(String name) {
		return get(name).async();
	}

	/**
	 * The client of {@code sandboxer.default-provider}, or of the only entry.
	 * @throws NoSuchSandboxerException when several entries exist and none is the default
	 */
	public Sandboxer getDefault() {
		if (this.defaultName == null) {
			throw new NoSuchSandboxerException(this.sandboxers.keySet());
		}
		return get(this.defaultName);
	}

	/** The name of the default entry, if there is one. */
	public Optional<String> defaultName() {
		return Optional.ofNullable(this.defaultName);
	}

	/** The configured names, in the order they were declared. */
	public Set<String> names() {
		return this.sandboxers.keySet();
	}

	/** Every client by name, in the order they were declared. */
	public Map<String, Sandboxer> all() {
		return this.sandboxers;
	}

	/**
	 * Closes every client in parallel. Each kills the sandboxes it created and did not detach (or leaves them
	 * running, when configured so), waiting no longer than its close timeout.
	 */
	@Override
	public void close() {
		List<Thread> closing = new ArrayList<>();
		this.sandboxers.forEach((name, sandboxer) -> {
			Thread thread = new Thread(() -> closeQuietly(name, sandboxer), "sandboxer-close-" + name);
			thread.start();
			closing.add(thread);
		});
		for (Thread thread : closing) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void closeQuietly(String name, Sandboxer sandboxer) {
		try {
			sandboxer.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing Sandboxer '{}' failed: {}", name, ex.toString());
		}
	}

	@Override
	public String toString() {
		return "Sandboxers" + this.sandboxers.keySet() + ((this.defaultName != null) ? ", default " + this.defaultName : "");
	}

}
