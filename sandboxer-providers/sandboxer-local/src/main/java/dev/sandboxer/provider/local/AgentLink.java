package dev.sandboxer.provider.local;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * How a session reaches its agent: makes the agent's exec, attaches to it, writes request lines to its stdin and
 * reads its output as the Engine frames it. Lines sent before the link is up wait and go first once it is, so a
 * session's first command costs no round trip of its own.
 */
interface AgentLink {

	/**
	 * Makes the exec of {@code argv} as {@code user} in {@code containerId}, with stdin attached and no terminal, and
	 * attaches to it. Completes with the Engine's frames of its output, or fails typed.
	 */
	CompletableFuture<InputStream> open(String containerId, List<String> argv, @Nullable String user);

	/** Queues a request line for the agent's stdin; never blocks for long. */
	void send(byte[] line);

	/** Ends the agent's stdin (it then exits) and drops the connection; safe to call more than once, and early. */
	void close();

}
