package dev.sandboxer.ai;

import dev.sandboxer.Sandbox;
import org.jspecify.annotations.Nullable;

/**
 * The sandbox of one conversation, as {@link ConversationSandboxes} lends it to a tool call, with the background
 * commands the conversation started in it.
 */
public final class ConversationSandbox {

	private final String conversationId;

	private final long createdAtNanos;

	private final BackgroundJobs jobs = new BackgroundJobs();

	// Set once, under this object's lock (creation takes seconds, so not under the holder's).
	private volatile @Nullable Sandbox sandbox;

	// Set once, under the holder's lock; read when the sandbox is made, to kill one made for a conversation that
	// ended meanwhile.
	private volatile boolean ended;

	// Guarded by the ConversationSandboxes that holds this one.
	private int users;

	private long lastUsedNanos;

	ConversationSandbox(String conversationId, long nowNanos) {
		this.conversationId = conversationId;
		this.createdAtNanos = nowNanos;
		this.lastUsedNanos = nowNanos;
	}

	public String conversationId() {
		return this.conversationId;
	}

	/** The sandbox; made before a tool is given this. */
	public Sandbox sandbox() {
		Sandbox current = this.sandbox;
		if (current == null) {
			throw new IllegalStateException("The sandbox of conversation '" + this.conversationId + "' is not made yet");
		}
		return current;
	}

	BackgroundJobs jobs() {
		return this.jobs;
	}

	@Nullable Sandbox sandboxOrNull() {
		return this.sandbox;
	}

	void sandbox(Sandbox sandbox) {
		this.sandbox = sandbox;
	}

	long createdAtNanos() {
		return this.createdAtNanos;
	}

	int users() {
		return this.users;
	}

	void enter(long nowNanos) {
		this.users++;
		this.lastUsedNanos = nowNanos;
	}

	void leave(long nowNanos) {
		this.users--;
		this.lastUsedNanos = nowNanos;
	}

	void touch(long nowNanos) {
		this.lastUsedNanos = nowNanos;
	}

	long lastUsedNanos() {
		return this.lastUsedNanos;
	}

	boolean ended() {
		return this.ended;
	}

	void end() {
		this.ended = true;
	}

}
