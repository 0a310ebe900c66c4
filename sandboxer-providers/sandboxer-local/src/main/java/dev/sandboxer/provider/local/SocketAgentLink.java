package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * An {@link AgentLink} over the Engine's Unix socket without docker-java ({@link SocketEngineCalls}): the agent's
 * exec is made and started on a connection of the JVM's own, which then carries the request lines one way and the
 * agent's framed output the other. So the first command after a fast create ({@link SocketCreate}) does not wait for
 * docker-java to be set up, and a request line goes straight to the connection instead of through a copying thread.
 * Used only where {@link FastCreateRoute} is sure the socket is docker-java's Engine.
 */
final class SocketAgentLink implements AgentLink {

	/**
	 * Lines up to this size are written on the caller's thread: a socket's send buffer takes them whole, and an agent
	 * has at most one line in flight. A longer line (a long command) is written on an engine thread, since the agent
	 * reads its line a byte at a time and a caller may be on an event loop.
	 */
	static final int WRITE_INLINE_MAX = 16 * 1024;

	private final DockerEngine engine;

	private final SocketEngineCalls calls;

	private final @Nullable String configuredVersion;

	/** Guarded by this: lines sent before the connection is up (a session's first command). */
	private final List<byte[]> waiting = new ArrayList<>(1);

	/** Guarded by this. */
	private @Nullable SocketChannel channel;

	/** Guarded by this. */
	private boolean closed;

	/** Whole lines, one at a time. */
	private final Object writing = new Object();

	SocketAgentLink(DockerEngine engine, SocketEngineCalls calls, @Nullable String configuredVersion) {
		this.engine = engine;
		this.calls = calls;
		this.configuredVersion = configuredVersion;
	}

	@Override
	public CompletableFuture<InputStream> open(String containerId, List<String> argv, @Nullable String user) {
		String subject = ContainerExec.subject(containerId);
		return this.engine.run(subject, () -> {
			String version = this.calls.version(this.configuredVersion);
			String execId = this.calls.createExec(version, containerId, argv, user, subject);
			UnixSocketExchange.Upgraded attached = this.calls.startAttached(version, execId, subject);
			List<byte[]> first;
			synchronized (this) {
				if (this.closed) {
					// Closed while it was being made: nothing may stay open; the reader then meets the end.
					close(attached.channel());
					return attached.input();
				}
				this.channel = attached.channel();
				first = List.copyOf(this.waiting);
				this.waiting.clear();
			}
			first.forEach((line) -> write(attached.channel(), line));
			return attached.input();
		});
	}

	@Override
	public void send(byte[] line) {
		SocketChannel open;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (this.channel == null) {
				this.waiting.add(line);
				return;
			}
			open = this.channel;
		}
		if (line.length <= WRITE_INLINE_MAX) {
			write(open, line);
		}
		else {
			this.engine.run("a session's request", () -> {
				write(open, line);
				return null;
			}).whenComplete((ignored, error) -> {
				if (error != null) {
					close();
				}
			});
		}
	}

	/** A line that cannot be written leaves a broken connection: it is closed, and its reader sees the end. */
	private void write(SocketChannel open, byte[] line) {
		ByteBuffer bytes = ByteBuffer.wrap(line);
		synchronized (this.writing) {
			try {
				while (bytes.hasRemaining()) {
					open.write(bytes);
				}
			}
			catch (IOException ex) {
				close();
			}
		}
	}

	@Override
	public void close() {
		SocketChannel open;
		synchronized (this) {
			this.closed = true;
			this.waiting.clear();
			open = this.channel;
		}
		if (open != null) {
			close(open);
		}
	}

	private static void close(SocketChannel open) {
		try {
			open.close();
		}
		catch (IOException ex) {
			// Closed as far as it can be: nothing is left to release.
		}
	}

}
