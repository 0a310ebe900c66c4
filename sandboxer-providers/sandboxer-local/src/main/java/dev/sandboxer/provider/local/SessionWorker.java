package dev.sandboxer.provider.local;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session: an exec of {@link SessionProtocol#AGENT} with its stdin attached, as one user, running one command
 * at a time. Its output is read on a thread of its own, demultiplexed from the Engine's frames (an 8-byte header:
 * stream, three zero bytes, a big-endian length). Whatever goes wrong before a command started (the agent cannot
 * start: no {@code sh}, no {@code setsid}, an unknown user, a paused sandbox; a working directory it cannot enter;
 * a session that died before it took the command) runs the command through exec instead, which then gives the
 * usual result or typed error. A command is never sent to two places once it may have started.
 */
final class SessionWorker {

	private static final Logger logger = LoggerFactory.getLogger(SessionWorker.class);

	private final DockerEngine engine;

	private final ContainerExec exec;

	private final String containerId;

	private final CommandSessions.Pool pool;

	/** The agent's {@code $0}, unique: how the kill of a command finds the processes the agent started. */
	private final String name = SessionProtocol.AGENT_NAME + ":" + UUID.randomUUID();

	private final AgentLink link;

	private final MarkedStream stdout = new MarkedStream();

	private final MarkedStream stderr = new MarkedStream();

	/** Guarded by this: the command it runs, if any. */
	private @Nullable SessionCommand current;

	private volatile boolean ready;

	/** Set once anything came on stderr, which only a running agent writes. */
	private volatile boolean spoke;

	private volatile boolean alive = true;

	/** When it last became idle, for closing sessions left unused. */
	volatile long idleSince = System.nanoTime();

	/** Read by the reader thread only: stdout bytes before READY. */
	private byte[] head = new byte[0];

	SessionWorker(DockerEngine engine, ContainerExec exec, AgentLink link, String containerId,
			CommandSessions.Pool pool) {
		this.engine = engine;
		this.link = link;
		this.exec = exec;
		this.containerId = containerId;
		this.pool = pool;
	}

	boolean alive() {
		return this.alive;
	}

	/** Starts the agent as {@code user} with the first command already on its way: one round trip, not two. */
	CompletableFuture<ExecOutcome> start(@Nullable String user, SessionCommand first) {
		assign(first);
		List<String> argv = List.of("sh", "-c", SessionProtocol.AGENT, this.name);
		this.link.open(this.containerId, argv, user).whenComplete((output, error) -> {
			if (error != null) {
				logger.debug("No session in {}: {}", subject(), error.getMessage());
				this.link.close();
				died();
				return;
			}
			if (!this.alive) {
				this.link.close();
				died();
				return;
			}
			Thread reader = new Thread(() -> pump(output),
					"sandboxer-local-session-" + LocalSandbox.shortId(this.containerId));
			reader.setDaemon(true);
			reader.start();
		});
		return first.result;
	}

	/** Runs a command on this idle session. */
	CompletableFuture<ExecOutcome> run(SessionCommand command) {
		assign(command);
		return command.result;
	}

	private void assign(SessionCommand command) {
		boolean gone;
		synchronized (this) {
			gone = !this.alive;
			if (!gone) {
				this.current = command;
				this.stdout.reset(command.id, true);
				this.stderr.reset(command.id, false);
			}
		}
		if (gone) {
			// It died since it was taken from the pool: the command was never sent.
			command.viaExec();
			return;
		}
		command.armTimeout();
		this.link.send(command.line);
	}

	/** Ends the session: the agent reads the end of its input and exits. */
	void close() {
		synchronized (this) {
			this.alive = false;
		}
		this.link.close();
	}

	private void pump(InputStream output) {
		// Buffered: a command's output and its end marker often arrive together, and each frame is two reads.
		try (DataInputStream frames = new DataInputStream(new BufferedInputStream(output, 64 * 1024))) {
			byte[] header = new byte[8];
			byte[] payload = new byte[32 * 1024];
			while (true) {
				try {
					frames.readFully(header);
				}
				catch (EOFException ex) {
					break;
				}
				long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
						| (header[7] & 0xff);
				// A frame is read in pieces of the one buffer, however large the Engine says it is.
				while (size > 0) {
					int piece = (int) Math.min(size, payload.length);
					frames.readFully(payload, 0, piece);
					size -= piece;
					if (header[0] == 2) {
						onStderr(payload, piece);
					}
					else {
						onStdout(payload, piece);
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("The session in {} ended: {}", subject(), ex.toString());
		}
		finally {
			this.link.close();
			died();
		}
	}

	private void onStdout(byte[] bytes, int length) {
		if (!this.ready) {
			byte[] seen = Arrays.copyOf(this.head, this.head.length + length);
			System.arraycopy(bytes, 0, seen, this.head.length, length);
			int prefix = Math.min(seen.length, SessionProtocol.READY.length);
			if (!Arrays.equals(seen, 0, prefix, SessionProtocol.READY, 0, prefix)) {
				// Not the agent speaking (the Engine's complaint, or no setsid): no session here; the stream's end
				// hands the command to exec.
				this.head = new byte[0];
				synchronized (this) {
					this.alive = false;
				}
				this.link.close();
				return;
			}
			if (seen.length < SessionProtocol.READY.length) {
				this.head = seen;
				return;
			}
			this.head = new byte[0];
			this.ready = true;
			byte[] rest = Arrays.copyOfRange(seen, SessionProtocol.READY.length, seen.length);
			bytes = rest;
			length = rest.length;
		}
		if (!this.alive && !this.ready) {
			return;
		}
		SessionCommand command;
		synchronized (this) {
			command = this.current;
		}
		if (command != null && length > 0) {
			this.stdout.feed(bytes, 0, length, command::stdout);
			progress(command);
		}
	}

	private void onStderr(byte[] bytes, int length) {
		SessionCommand command;
		synchronized (this) {
			command = this.current;
		}
		// Not gated on READY: the Engine may pass on a fast command's stderr before the agent's READY on stdout,
		// and the agent writes nothing to stderr before READY, so these bytes are the command's.
		if (command != null) {
			this.spoke = true;
			this.stderr.feed(bytes, 0, length, command::stderr);
			progress(command);
		}
	}

	/** After each chunk: has the command ended, is the session free again? */
	private void progress(SessionCommand command) {
		// Only once the end is marked on both streams: then every byte of the command has been read, and the
		// session is free before the caller hears of the result (its next command finds it free).
		if (!this.stdout.ended() || !this.stderr.ended()) {
			return;
		}
		String code = this.stdout.exit();
		synchronized (this) {
			this.current = null;
		}
		command.released();
		this.idleSince = System.nanoTime();
		this.pool.release(this);
		// A command being killed ends once its kill has: its wrapper may mark the end before every child is dead.
		String exit = (code != null) ? code : Integer.toString(SessionCommand.KILLED);
		if (command.killing) {
			command.killed.whenComplete((ignored, error) -> command.ended(exit));
		}
		else {
			command.ended(exit);
		}
	}

	/** The session is gone; a command it had is finished from what is known, or run through exec if it never ran. */
	private void died() {
		SessionCommand command;
		synchronized (this) {
			this.alive = false;
			command = this.current;
			this.current = null;
		}
		this.pool.removed(this, !this.ready && !this.spoke);
		if (command == null) {
			return;
		}
		command.released();
		if (command.killing) {
			command.killed.whenComplete((ignored, error) -> command.ended(Integer.toString(SessionCommand.KILLED)));
			return;
		}
		if (!command.sawAnything && !this.stdout.started()) {
			// The agent never took it: it did not run.
			command.viaExec();
			return;
		}
		String code = this.stdout.exit();
		// Killing a container ends its processes a moment before the Engine marks it stopped: asked a few times.
		this.engine.call(subject(), (client) -> {
			ContainerExec.requireRunning(client, this.containerId);
			return null;
		}).whenComplete((running, error) -> {
			if (error != null) {
				command.fail(error);
			}
			else {
				command.ended((code != null) ? code : Integer.toString(SessionCommand.KILLED));
			}
		});
	}

	private String subject() {
		return ContainerExec.subject(this.containerId);
	}

	DockerEngine engine() {
		return this.engine;
	}

	ContainerExec exec() {
		return this.exec;
	}

	String containerId() {
		return this.containerId;
	}

	/** The agent's {@code $0}, which the kill of one of its commands is given. */
	String agentName() {
		return this.name;
	}

	/** Whether {@code command} is the one this session runs now. */
	synchronized boolean runs(SessionCommand command) {
		return this.current == command;
	}

}
