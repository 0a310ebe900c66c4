package dev.sandboxer.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.CreateSandboxRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox per conversation, made on the conversation's first tool call by one {@link Sandboxer} (so it is that
 * client's own: its metrics, the {@code sandboxes} endpoint and its shutdown see it like any other).
 * <p>
 * A sandbox ends when no tool used it for the idle timeout, at its maximum lifetime (which the provider also enforces,
 * as the sandbox's create-time lifetime), when its conversation is {@linkplain #release released}, and at
 * {@link #close()}. At most {@code maxSandboxes} exist at once; a conversation beyond them gets a
 * {@link SandboxLimitException} and nothing is created. Thread-safe: calls of one conversation share its sandbox,
 * and the first of them makes it while the others wait.
 * <p>
 * Each sandbox carries the metadata {@value #CONVERSATION_KEY}=&lt;conversation id&gt;.
 */
public final class ConversationSandboxes implements AutoCloseable {

	/** The metadata key that names a sandbox's conversation. */
	public static final String CONVERSATION_KEY = "sandboxer-ai-conversation";

	private static final Logger logger = LoggerFactory.getLogger(ConversationSandboxes.class);

	private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

	private final Sandboxer sandboxer;

	private final ConversationSandboxesSettings settings;

	private final Map<String, ConversationSandbox> byConversation = new LinkedHashMap<>();

	private final ScheduledExecutorService expiry;

	private boolean closed;

	/**
	 * Starts the expiry of idle and old sandboxes; {@link #close()} stops it.
	 * @param sandboxer the client that makes and owns the sandboxes; not closed by this
	 */
	public ConversationSandboxes(Sandboxer sandboxer, ConversationSandboxesSettings settings) {
		this.sandboxer = sandboxer;
		this.settings = settings;
		this.expiry = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sandboxer-ai-expiry-" + sandboxer.name());
			thread.setDaemon(true);
			return thread;
		});
		long every = sweepInterval(settings).toMillis();
		this.expiry.scheduleWithFixedDelay(this::expireQuietly, every, every, TimeUnit.MILLISECONDS);
	}

	/** Often enough that a sandbox outlives its idle timeout by a quarter of it at most, and by 30 seconds at most. */
	private static Duration sweepInterval(ConversationSandboxesSettings settings) {
		Duration shortest = (settings.idleTimeout().compareTo(settings.maxLifetime()) < 0) ? settings.idleTimeout()
				: settings.maxLifetime();
		long millis = Math.max(50, Math.min(shortest.toMillis() / 4, 30_000));
		return Duration.ofMillis(millis);
	}

	/** The name of the provider entry whose client makes the sandboxes. */
	public String providerName() {
		return this.sandboxer.name();
	}

	public ConversationSandboxesSettings settings() {
		return this.settings;
	}

	/**
	 * Runs work with the conversation's sandbox, making the sandbox first when the conversation has none. The
	 * sandbox counts as used for the whole call, so it never expires under a running command.
	 * @throws SandboxLimitException when the conversation has no sandbox and the limit is reached
	 * @throws IllegalStateException after {@link #close()}
	 */
	public <T> T withSandbox(String conversationId, Function<ConversationSandbox, T> work) {
		ConversationSandbox held = enter(conversationId);
		try {
			makeSandbox(held);
			return work.apply(held);
		}
		finally {
			leave(held);
		}
	}

	private synchronized ConversationSandbox enter(String conversationId) {
		if (this.closed) {
			throw new IllegalStateException("The conversation sandboxes are closed (the application is stopping)");
		}
		ConversationSandbox held = this.byConversation.get(conversationId);
		if (held == null) {
			if (this.byConversation.size() >= this.settings.maxSandboxes()) {
				throw new SandboxLimitException(this.settings.maxSandboxes());
			}
			held = new ConversationSandbox(conversationId, System.nanoTime());
			this.byConversation.put(conversationId, held);
		}
		held.enter(System.nanoTime());
		return held;
	}

	private synchronized void leave(ConversationSandbox held) {
		held.leave(System.nanoTime());
	}

	private void makeSandbox(ConversationSandbox held) {
		// Under the conversation's own lock: the other calls of this conversation wait for the one sandbox, the
		// other conversations do not, and end() cannot miss a sandbox being made (it takes this lock to read it).
		synchronized (held) {
			if (held.sandboxOrNull() != null) {
				return;
			}
			if (held.ended()) {
				throw new IllegalStateException(
						"The sandbox of conversation '" + held.conversationId() + "' was released during this call");
			}
			try {
				held.sandbox(this.sandboxer.createSandbox(CreateSandboxRequest.builder()
					.template(this.settings.template())
					.timeout(this.settings.maxLifetime())
					.metadata(CONVERSATION_KEY, held.conversationId())
					.build()));
			}
			catch (RuntimeException ex) {
				// A failed create must not hold a place under the limit.
				synchronized (this) {
					this.byConversation.remove(held.conversationId(), held);
					held.end();
				}
				throw ex;
			}
		}
	}

	/** Marks the conversation's sandbox as used now, so that it does not expire as idle (a session kept alive). */
	public synchronized void touch(String conversationId) {
		ConversationSandbox held = this.byConversation.get(conversationId);
		if (held != null) {
			held.touch(System.nanoTime());
		}
	}

	/**
	 * Ends a conversation: kills its sandbox now, running commands included. The next tool call of the same
	 * conversation gets a new sandbox.
	 * @return whether the conversation had a sandbox
	 */
	public boolean release(String conversationId) {
		ConversationSandbox held;
		synchronized (this) {
			held = this.byConversation.remove(conversationId);
			if (held == null) {
				return false;
			}
			held.end();
		}
		kill(held, "released");
		return true;
	}

	/**
	 * Forgets a conversation's sandbox that is gone already (expired or killed by someone else), so that its next
	 * call makes a new one.
	 */
	void forgetGone(ConversationSandbox held) {
		synchronized (this) {
			this.byConversation.remove(held.conversationId(), held);
			held.end();
		}
		kill(held, "gone");
	}

	/** The id of the conversation's sandbox, if it has one now. */
	public synchronized Optional<String> sandboxId(String conversationId) {
		ConversationSandbox held = this.byConversation.get(conversationId);
		Sandbox sandbox = (held != null) ? held.sandboxOrNull() : null;
		return Optional.ofNullable(sandbox).map(Sandbox::id);
	}

	/** How many conversations hold a sandbox (or are making one) now. */
	public synchronized int size() {
		return this.byConversation.size();
	}

	/** Kills the sandboxes that were idle or alive too long and are not in use; run on a schedule. */
	void expire() {
		List<ConversationSandbox> expired = new ArrayList<>();
		long now = System.nanoTime();
		long idleNanos = this.settings.idleTimeout().toNanos();
		long lifetimeNanos = this.settings.maxLifetime().toNanos();
		synchronized (this) {
			this.byConversation.values().removeIf((held) -> {
				boolean due = held.users() == 0 && (now - held.lastUsedNanos() >= idleNanos
						|| now - held.createdAtNanos() >= lifetimeNanos);
				if (due) {
					held.end();
					expired.add(held);
				}
				return due;
			});
		}
		for (ConversationSandbox held : expired) {
			kill(held, "expired");
		}
	}

	private void expireQuietly() {
		try {
			expire();
		}
		catch (RuntimeException ex) {
			// A failure must not cancel the schedule; the next round tries again.
			logger.warn("Expiring conversation sandboxes failed: {}", ex.toString());
		}
	}

	private void kill(ConversationSandbox held, String why) {
		Sandbox sandbox;
		synchronized (held) {
			sandbox = held.sandboxOrNull();
		}
		if (sandbox == null) {
			return;
		}
		try {
			sandbox.kill();
			logger.debug("Killed sandbox {} of conversation '{}' ({})", sandbox.id(), held.conversationId(), why);
		}
		catch (NotFoundException ex) {
			// Gone already: the provider's lifetime ended it, or someone killed it.
		}
		catch (RuntimeException ex) {
			// Still owned by the client, which kills it when it closes.
			logger.warn("Killing sandbox {} of conversation '{}' failed: {}", sandbox.id(), held.conversationId(),
					ex.toString());
		}
	}

	/**
	 * Kills every conversation's sandbox (all at once, waiting a minute at most) and stops the expiry. Idempotent.
	 * The client is left open: it belongs to whoever made it.
	 */
	@Override
	public void close() {
		List<ConversationSandbox> all;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			all = new ArrayList<>(this.byConversation.values());
			all.forEach(ConversationSandbox::end);
			this.byConversation.clear();
		}
		this.expiry.shutdownNow();
		// A thread each, as kills block: shutdown waits for the slowest sandbox, not for the sum of them.
		List<Thread> killing = new ArrayList<>();
		for (ConversationSandbox held : all) {
			Thread thread = new Thread(() -> kill(held, "shutdown"), "sandboxer-ai-close");
			thread.start();
			killing.add(thread);
		}
		long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
		try {
			for (Thread thread : killing) {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (killing.stream().anyMatch(Thread::isAlive)) {
			logger.warn("Not every conversation sandbox was killed within {}; their client kills the rest when it "
					+ "closes", CLOSE_WAIT);
		}
	}

	@Override
	public String toString() {
		return "ConversationSandboxes[" + this.sandboxer.name() + ", " + size() + " of "
				+ this.settings.maxSandboxes() + "]";
	}

}
