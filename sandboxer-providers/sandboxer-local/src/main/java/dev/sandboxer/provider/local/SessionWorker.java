package dev.sandboxer.provider.local;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.spi.CommandOutputCollector;
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

	/** How long a killed command's session may take to mark its end before it is closed. */
	private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(3);

	/** Exit code reported for a command whose wrapper was killed by SIGKILL, as the exec path reports it. */
	private static final int KILLED = 137;

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
	private @Nullable Command current;

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
	CompletableFuture<ExecOutcome> start(@Nullable String user, Command first) {
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
	CompletableFuture<ExecOutcome> run(Command command) {
		assign(command);
		return command.result;
	}

	private void assign(Command command) {
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
		Command command;
		synchronized (this) {
			command = this.current;
		}
		if (command != null && length > 0) {
			this.stdout.feed(bytes, 0, length, command::stdout);
			progress(command);
		}
	}

	private void onStderr(byte[] bytes, int length) {
		Command command;
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
	private void progress(Command command) {
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
		String exit = (code != null) ? code : Integer.toString(KILLED);
		if (command.killing) {
			command.killed.whenComplete((ignored, error) -> command.ended(exit));
		}
		else {
			command.ended(exit);
		}
	}

	/** The session is gone; a command it had is finished from what is known, or run through exec if it never ran. */
	private void died() {
		Command command;
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
			command.killed.whenComplete((ignored, error) -> command.ended(Integer.toString(KILLED)));
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
				command.ended((code != null) ? code : Integer.toString(KILLED));
			}
		});
	}

	private String subject() {
		return ContainerExec.subject(this.containerId);
	}

	/** One command on a session: its request line, output, timer and result. */
	final class Command {

		final CompletableFuture<ExecOutcome> result = new CompletableFuture<>();

		final String id;

		final byte[] line;

		private final ExecSpec spec;

		private final CommandOutputListener listener;

		private final CommandOutputCollector output;

		private final long started = System.nanoTime();

		volatile boolean sawAnything;

		private volatile boolean timedOut;

		volatile boolean killing;

		/** Completes once the kill of a timed-out or cancelled command finished, well or not. */
		final CompletableFuture<Void> killed = new CompletableFuture<>();

		/** Guarded by this: the outcome was made (or the command handed to exec). */
		private boolean settled;

		private volatile @Nullable ScheduledFuture<?> timer;

		Command(String id, byte[] line, ExecSpec spec, CommandOutputListener listener) {
			this.id = id;
			this.line = line;
			this.spec = spec;
			this.listener = listener;
			this.output = new CommandOutputCollector(listener);
			this.result.whenComplete((outcome, error) -> {
				if (this.result.isCancelled()) {
					kill();
				}
			});
		}

		void armTimeout() {
			long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.started);
			this.timer = SessionWorker.this.engine.scheduler()
				.schedule(this::timeOut, Math.max(0, this.spec.timeout().toMillis() - elapsedMs), TimeUnit.MILLISECONDS);
		}

		void stdout(byte[] bytes, int offset, int length) {
			if (length > 0) {
				this.sawAnything = true;
				this.output.stdout(bytes, offset, length);
			}
		}

		void stderr(byte[] bytes, int offset, int length) {
			if (length > 0) {
				this.sawAnything = true;
				this.output.stderr(bytes, offset, length);
			}
		}

		/** Its end was marked (or its session told of it). */
		void ended(String code) {
			this.sawAnything = true;
			if (SessionProtocol.NO_DIRECTORY.equals(code)) {
				viaExec();
				return;
			}
			int exitCode;
			try {
				exitCode = Integer.parseInt(code);
			}
			catch (NumberFormatException ex) {
				exitCode = KILLED;
			}
			ExecOutcome outcome;
			synchronized (this) {
				if (this.settled) {
					return;
				}
				this.settled = true;
				this.output.finish();
				long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.started);
				outcome = this.timedOut ? new ExecOutcome(this.output.stdout(), this.output.stderr(), -1, true, durationMs)
						: new ExecOutcome(this.output.stdout(), this.output.stderr(), exitCode, false, durationMs);
			}
			this.result.complete(outcome);
		}

		/** The session let go of it: no timer is needed any more. */
		void released() {
			ScheduledFuture<?> current = this.timer;
			if (current != null) {
				current.cancel(false);
			}
		}

		/** It never ran on the session: run it through exec, with the time it has left. */
		void viaExec() {
			synchronized (this) {
				if (this.settled) {
					return;
				}
				this.settled = true;
			}
			released();
			if (this.result.isDone()) {
				return;
			}
			long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.started);
			Duration left = this.spec.timeout().minusMillis(elapsedMs);
			ExecSpec rest = new ExecSpec(this.spec.argv(), this.spec.user(), this.spec.env(), this.spec.cwd(),
					left.isNegative() ? Duration.ZERO : left);
			CompletableFuture<ExecOutcome> viaExec = SessionWorker.this.exec.run(SessionWorker.this.containerId, rest,
					this.listener);
			viaExec.whenComplete((outcome, error) -> {
				if (error != null) {
					this.result.completeExceptionally(error);
				}
				else {
					this.result.complete(outcome);
				}
			});
			this.result.whenComplete((outcome, error) -> {
				if (this.result.isCancelled()) {
					viaExec.cancel(true);
				}
			});
		}

		void fail(Throwable error) {
			synchronized (this) {
				if (this.settled) {
					return;
				}
				this.settled = true;
			}
			this.result.completeExceptionally(error);
		}

		private void timeOut() {
			synchronized (this) {
				if (this.settled) {
					return;
				}
			}
			this.timedOut = true;
			kill();
		}

		/**
		 * Kills the command and its children as the exec path does (its {@code sh} leads a session of its own); its
		 * wrapper then marks the end. A session that does not within {@link #DRAIN_AFTER_KILL} is closed, and the
		 * command ends as timed out with what it printed.
		 */
		private void kill() {
			// Not only once: a command cancelled before its session started it is looked for again at its timeout.
			this.killing = true;
			SessionWorker.this.engine.call(subject(), (client) -> {
				SessionWorker.this.exec.killInSession(client, SessionWorker.this.containerId, this.id,
						SessionWorker.this.name);
				return null;
			}).whenComplete((ignored, error) -> {
				if (error != null && !(error instanceof NotFoundException)) {
					logger.warn("Could not kill a {} command in {}: {}", this.timedOut ? "timed-out" : "cancelled",
							subject(), error.getMessage());
				}
				this.killed.complete(null);
				SessionWorker.this.engine.scheduler().schedule(() -> {
					boolean stillHere;
					synchronized (SessionWorker.this) {
						stillHere = SessionWorker.this.current == this;
					}
					if (stillHere) {
						ended(Integer.toString(KILLED));
						close();
					}
				}, DRAIN_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
			});
		}

	}

}
