package dev.sandboxer.provider.local;

import java.time.Duration;
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
 * One command on a session ({@link SessionWorker}): its request line, its output as the session hands it on, its
 * timer, the kill of a timed-out or cancelled command, and its result; or, when the session never took it, its run
 * through exec with the time it has left.
 */
final class SessionCommand {

	private static final Logger logger = LoggerFactory.getLogger(SessionCommand.class);

	/** How long a killed command's session may take to mark its end before it is closed. */
	private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(3);

	/** Exit code reported for a command killed by SIGKILL, as the exec path reports it. */
	static final int KILLED = 137;

	final CompletableFuture<ExecOutcome> result = new CompletableFuture<>();

	/** The session it runs on; through exec instead, when it cannot. */
	private final SessionWorker session;

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

	SessionCommand(SessionWorker session, String id, byte[] line, ExecSpec spec, CommandOutputListener listener) {
		this.session = session;
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
		this.timer = this.session.engine().scheduler()
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
		CompletableFuture<ExecOutcome> viaExec = this.session.exec().run(this.session.containerId(), rest,
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
		this.session.engine().call(ContainerExec.subject(this.session.containerId()), (client) -> {
			this.session.exec().killInSession(client, this.session.containerId(), this.id,
					this.session.agentName());
			return null;
		}).whenComplete((ignored, error) -> {
			if (error != null && !(error instanceof NotFoundException)) {
				logger.warn("Could not kill a {} command in {}: {}", this.timedOut ? "timed-out" : "cancelled",
						ContainerExec.subject(this.session.containerId()), error.getMessage());
			}
			this.killed.complete(null);
			this.session.engine().scheduler().schedule(() -> {
				if (this.session.runs(this)) {
					ended(Integer.toString(KILLED));
					this.session.close();
				}
			}, DRAIN_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
		});
	}

}
