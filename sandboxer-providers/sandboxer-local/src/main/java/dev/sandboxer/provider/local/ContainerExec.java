package dev.sandboxer.provider.local;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.spi.CommandOutputCollector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs processes in a container through the Engine's exec API: stdin closed, stdout and stderr kept apart and
 * decoded as UTF-8 as they arrive, the exit code asked of the Engine at the end.
 * <p>
 * <b>Timeouts kill inside the container.</b> Dropping the connection would leave the process running (the
 * reference SDKs' defect D-L7), and the Engine only knows its host pid. So every process runs as the child of a
 * small {@code sh} wrapper whose {@code $0} is {@value #WRAPPER_PREFIX}&lt;id&gt;, with an id of its own. The Engine
 * starts each exec in a session of its own, led by that wrapper. At the timeout a second exec, as root, finds the
 * wrapper by its command line, and stops and kills it and every process of its session, every child of those, and
 * every process whose environment holds {@value #MARKER_VARIABLE}=&lt;id&gt; (inherited by children). The command
 * line and {@code /proc/<pid>/stat} can be read for any user's process; the environment only for one's own or by
 * a root with {@code CAP_SYS_PTRACE}, which containers lack, so the session is what finds the processes of a command
 * run as another user. A process that both leaves the session ({@code setsid}) and clears its environment, or that
 * runs as another user and leaves the session after its parent died, escapes; nothing else does.
 */
final class ContainerExec {

	static final String MARKER_VARIABLE = "SANDBOXER_EXEC_ID";

	/** How the wrapper of every process names itself ({@code $0}); {@link ContainerProcesses} hides it. */
	static final String WRAPPER_PREFIX = "sandboxer-exec:";

	/**
	 * Runs its arguments as a child and exits with the child's status; the {@code exit} keeps the shell from
	 * replacing itself with the child, so the wrapper, and its name, stay until the child ends.
	 */
	private static final String WRAPPER = """
			"$@"
			exit $?
			""";

	private static final Logger logger = LoggerFactory.getLogger(ContainerExec.class);

	/** How long a killed process's last output may take to arrive before the connection is dropped. */
	private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(3);

	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	private static final int SETTLE_LOOKS = 5;

	private static final long SETTLE_MS = 200;

	/**
	 * Kills, as root, the processes of the command whose id is $1: its wrapper (an exec's first process, so its
	 * parent is outside the container: ppid 0), or, with $2 set to a session agent's name, the command a wrapper of
	 * that agent started (a process whose parent carries the name and which does not: the agent and its wrappers are
	 * never touched, so the wrapper marks the command's end); everything in that process's session, every child of a
	 * process found, and whatever carries the id in its environment, where that can be read. Each is stopped the
	 * moment it is found, so that none forks or exits meanwhile; the rounds repeat until one finds nothing new (the
	 * glob orders pids as text, so a child may come before its parent), then all are killed together. Children of
	 * this script ({@code tr}, {@code grep}) are skipped. BusyBox grep stops a line at its first NUL, hence tr first.
	 */
	private static final String KILL_MARKED = """
			self=$$ id=$1 agent=$2 sids= found= owners=
			if [ -n "$agent" ]; then
			  for d in /proc/[0-9]*; do
			    tr '\\0' '\\n' 2>/dev/null <"$d/cmdline" | grep -q -x -F "$agent" && owners="$owners ${d#/proc/}"
			  done
			fi
			for round in 1 2 3 4 5 6; do
			  new=
			  for d in /proc/[0-9]*; do
			    p=${d#/proc/}
			    [ "$p" = "$self" ] && continue
			    case " $found $owners " in *" $p "*) continue;; esac
			    read -r st 2>/dev/null <"$d/stat" || continue
			    set -- ${st##*) }
			    [ "$2" = "$self" ] && continue
			    m=
			    case " $sids " in *" $4 "*) m=1;; esac
			    case " $found $new " in *" $2 "*) m=1;; esac
			    if [ -z "$m" ] && [ -n "$owners" ]; then
			      case " $owners " in *" $2 "*) m=1; [ "$4" = "$p" ] && sids="$sids $4";; esac
			    fi
			    if [ -z "$m" ] && [ "$2" = 0 ] && tr '\\0' '\\n' 2>/dev/null <"$d/cmdline" | grep -q -x -F "sandboxer-exec:$id"; then
			      m=1; sids="$sids $4"
			    fi
			    if [ -z "$m" ] && tr '\\0' '\\n' 2>/dev/null <"$d/environ" | grep -q -x -F "SANDBOXER_EXEC_ID=$id"; then
			      m=1
			    fi
			    [ -n "$m" ] && kill -STOP "$p" 2>/dev/null && new="$new $p"
			  done
			  [ -n "$new" ] || break
			  found="$found $new"
			done
			[ -z "$found" ] || kill -9 $found 2>/dev/null
			exit 0
			""";

	private final DockerEngine engine;

	ContainerExec(DockerEngine engine) {
		this.engine = engine;
	}

	/**
	 * Runs a process to its end or its timeout; output also goes to the listener as it arrives. Cancelling the
	 * future kills the process and its children inside the container.
	 */
	CompletableFuture<ExecOutcome> run(String containerId, ExecSpec spec, CommandOutputListener listener) {
		Run run = new Run(containerId, UUID.randomUUID().toString(), listener);
		List<String> argv = new ArrayList<>(List.of("sh", "-c", WRAPPER, WRAPPER_PREFIX + run.marker));
		argv.addAll(spec.argv());
		this.engine.call(subject(containerId), (client) -> {
			run.execId = create(client, containerId, argv, environment(spec, run.marker), spec.user(), spec.cwd())
				.withAttachStdin(false)
				.withTty(false)
				.exec()
				.getId();
			this.engine.streamingClient().execStartCmd(run.execId).withDetach(false).withTty(false).exec(run);
			return run.execId;
		}).whenComplete((execId, error) -> {
			run.startReturned = true;
			if (error != null) {
				run.fail(error);
			}
			else if (run.result.isCancelled()) {
				// Cancelled while the process was being started: it runs now, so it is killed now.
				run.killAndDrop();
			}
			else {
				run.armTimeout(spec.timeout());
			}
		});
		return run.result;
	}

	/** {@code source} mapped; cancelling the mapped future cancels {@code source} too, which a plain thenApply does not. */
	static <T, R> CompletableFuture<R> map(CompletableFuture<T> source, Function<T, R> mapping) {
		CompletableFuture<R> mapped = source.thenApply(mapping);
		mapped.whenComplete((value, error) -> {
			if (mapped.isCancelled()) {
				source.cancel(true);
			}
		});
		return mapped;
	}

	/** An exec of {@code argv} with its output attached, as {@code user} in {@code cwd} when they are given. */
	static ExecCreateCmd create(DockerClient client, String containerId, List<String> argv, List<String> env,
			@Nullable String user, @Nullable String cwd) {
		ExecCreateCmd create = client.execCreateCmd(containerId)
			.withCmd(argv.toArray(String[]::new))
			.withEnv(env)
			.withAttachStdout(true)
			.withAttachStderr(true);
		if (user != null) {
			create.withUser(user);
		}
		if (cwd != null) {
			create.withWorkingDir(cwd);
		}
		return create;
	}

	/**
	 * Kills every process of a command (see {@link #KILL_MARKED}); a blocking call for engine threads. When the kill
	 * does not finish in time its connection is closed, and the caller hears of it.
	 */
	void killMarked(DockerClient client, String containerId, String marker) throws InterruptedException {
		kill(client, containerId, List.of("sh", "-c", KILL_MARKED, "sandboxer-kill", marker));
	}

	/**
	 * Kills the command {@code marker} that the session agent named {@code agent} runs (see {@link #KILL_MARKED}),
	 * leaving the agent and the command's wrapper alive.
	 */
	void killInSession(DockerClient client, String containerId, String marker, String agent)
			throws InterruptedException {
		kill(client, containerId, List.of("sh", "-c", KILL_MARKED, "sandboxer-kill", marker, agent));
	}

	private void kill(DockerClient client, String containerId, List<String> argv) throws InterruptedException {
		String execId = create(client, containerId, argv, List.of(), "0", null)
			.exec()
			.getId();
		try (QuietCompletion done = this.engine.streamingClient()
			.execStartCmd(execId)
			.withDetach(false)
			.exec(new QuietCompletion())) {
			if (!done.awaitCompletion(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ProviderTimeoutException(EngineErrors.PROVIDER, "Killing a process in " + subject(containerId)
						+ " did not finish within " + KILL_TIMEOUT.toSeconds() + " s", null);
			}
			if (done.error != null) {
				throw this.engine.errors().map(done.error, subject(containerId));
			}
		}
		catch (IOException ex) {
			// Closing a finished kill's connection failed: nothing is left to release.
		}
	}

	/** The exit code of a process whose stream ended; the Engine may need a moment more to record it. */
	static int exitCode(DockerClient client, @Nullable String execId, String containerId) throws InterruptedException {
		for (int attempt = 0;; attempt++) {
			InspectExecResponse exec = client.inspectExecCmd(execId).exec();
			if (exec.getExitCodeLong() != null && !Boolean.TRUE.equals(exec.isRunning())) {
				return exec.getExitCodeLong().intValue();
			}
			if (attempt >= 50) {
				throw new ProviderException(EngineErrors.PROVIDER,
						"The Docker Engine gave no exit code for a finished process in " + subject(containerId));
			}
			Thread.sleep(Math.min(2L << Math.min(attempt, 5), 50));
		}
	}

	/**
	 * After a process died of a signal: was it the whole sandbox that went? Killing a container kills its
	 * processes with SIGKILL, and their exit codes are still there to read for a moment; that is no result to hand
	 * out (the reference SDKs' D-L9). The Engine marks the container stopped a little after its processes died, so
	 * it is asked a few times over {@value #SETTLE_MS} ms; only deaths by signal pay this.
	 */
	static void requireRunning(DockerClient client, String containerId) throws InterruptedException {
		for (int look = 0; look < SETTLE_LOOKS; look++) {
			if (look > 0) {
				Thread.sleep(SETTLE_MS / (SETTLE_LOOKS - 1));
			}
			InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerId).exec().getState();
			if (state == null || !Boolean.TRUE.equals(state.getRunning())) {
				throw new NotFoundException(EngineErrors.PROVIDER, capitalized(subject(containerId))
						+ " was killed or reached its timeout while the command ran");
			}
		}
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static List<String> environment(ExecSpec spec, String marker) {
		List<String> env = new ArrayList<>(dockerEnvironment(spec.env()));
		env.add(MARKER_VARIABLE + "=" + marker);
		return env;
	}

	/**
	 * Variables as the Engine takes them, {@code NAME=value}; a name the Engine would misread is refused (the request
	 * records refuse them first; this guards the provider's own callers).
	 */
	static List<String> dockerEnvironment(Map<String, String> variables) {
		List<String> env = new ArrayList<>(variables.size() + 1);
		variables.forEach((name, value) -> {
			if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
				throw new IllegalArgumentException(
						"An environment variable name must be non-empty and hold neither '=' nor NUL, got '" + name + "'");
			}
			env.add(name + "=" + value);
		});
		return env;
	}

	static String subject(String containerId) {
		return "sandbox " + LocalSandbox.shortId(containerId);
	}

	/**
	 * Waits for an exec's end without docker-java's own error log: a failure is kept for the caller, who maps it
	 * (a sandbox removed meanwhile is no error worth an ERROR line).
	 */
	private static final class QuietCompletion extends ResultCallback.Adapter<Frame> {

		volatile @Nullable Throwable error;

		@Override
		public void onError(Throwable throwable) {
			this.error = throwable;
			try {
				close();
			}
			catch (IOException ex) {
				// Closing a failed stream: nothing is left to release.
			}
		}

	}

	/** One process: its streams, its timer and its result. Frames arrive on one docker-java thread, in order. */
	private final class Run implements ResultCallback<Frame> {

		final CompletableFuture<ExecOutcome> result = new CompletableFuture<>();

		final String marker;

		volatile @Nullable String execId;

		private final String containerId;

		private final CommandOutputCollector output;

		private final long started = System.nanoTime();

		private volatile boolean timedOut;

		/** Set once the stream ended, so a timer that fires late kills nothing. */
		private volatile boolean ended;

		/** Guarded by this: the decoders were flushed and the outcome made. */
		private boolean settled;

		/** Set once the call that creates and starts the process returned, whether it started it or not. */
		volatile boolean startReturned;

		private volatile @Nullable Closeable connection;

		private volatile @Nullable ScheduledFuture<?> timer;

		Run(String containerId, String marker, CommandOutputListener listener) {
			this.containerId = containerId;
			this.marker = marker;
			this.output = new CommandOutputCollector(listener);
			// Cancelling the call stops the process too, not just the wait for it; a process still being started is
			// killed once it is (see run).
			this.result.whenComplete((outcome, error) -> {
				if (this.result.isCancelled()) {
					cancelTimer();
					if (this.startReturned) {
						killAndDrop();
					}
				}
			});
		}

		/** Counts from the request, not from now: creating and starting the exec took some of the time already. */
		void armTimeout(Duration timeout) {
			if (!this.result.isDone()) {
				long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.started);
				this.timer = ContainerExec.this.engine.scheduler()
					.schedule(this::timeOut, Math.max(0, timeout.toMillis() - elapsedMs), TimeUnit.MILLISECONDS);
			}
		}

		private void timeOut() {
			if (this.ended || this.result.isDone()) {
				return;
			}
			this.timedOut = true;
			killAndDrop();
		}

		/** Kills the process tree inside the container, then drops the connection if output still trickles in. */
		void killAndDrop() {
			ContainerExec.this.engine.call(subject(this.containerId), (client) -> {
				killMarked(client, this.containerId, this.marker);
				return null;
			}).whenComplete((ignored, error) -> {
				if (error != null && !(error instanceof NotFoundException)) {
					logger.warn("Could not kill a {} process in {}: {}", this.timedOut ? "timed-out" : "cancelled",
							subject(this.containerId), error.getMessage());
				}
				ContainerExec.this.engine.scheduler()
					.schedule(this::dropConnection, DRAIN_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
			});
		}

		private void dropConnection() {
			if (!this.result.isDone()) {
				closeQuietly();
				finishTimedOut();
			}
			else if (this.result.isCancelled() && !this.ended) {
				closeQuietly();
			}
		}

		@Override
		public void onStart(Closeable closeable) {
			this.connection = closeable;
		}

		@Override
		public void onNext(Frame frame) {
			byte[] payload = frame.getPayload();
			if (payload == null || payload.length == 0) {
				return;
			}
			if (frame.getStreamType() == StreamType.STDERR) {
				this.output.stderr(payload, 0, payload.length);
			}
			else {
				this.output.stdout(payload, 0, payload.length);
			}
		}

		@Override
		public void onError(Throwable error) {
			this.ended = true;
			if (this.timedOut) {
				finishTimedOut();
			}
			else {
				fail(error);
			}
		}

		@Override
		public void onComplete() {
			this.ended = true;
			cancelTimer();
			if (this.timedOut) {
				finishTimedOut();
				return;
			}
			// Asked right here, on docker-java's stream thread, which is done with the stream: one thread hop less.
			int code;
			try {
				DockerClient client = ContainerExec.this.engine.client();
				code = exitCode(client, this.execId, this.containerId);
				if (code > 128) {
					requireRunning(client, this.containerId);
				}
			}
			catch (Exception ex) {
				fail(ex);
				return;
			}
			finish(code);
		}

		private void finish(int exitCode) {
			ExecOutcome outcome;
			synchronized (this) {
				outcome = outcome(exitCode, false);
			}
			if (outcome == null) {
				return;
			}
			if (exitCode == 126 || exitCode == 127) {
				SandboxerException notStarted = ExecStartFailure.of(outcome.stdout(), subject(this.containerId));
				if (notStarted != null) {
					this.result.completeExceptionally(notStarted);
					return;
				}
			}
			this.result.complete(outcome);
		}

		private void finishTimedOut() {
			ExecOutcome outcome;
			synchronized (this) {
				outcome = outcome(-1, true);
			}
			if (outcome != null) {
				this.result.complete(outcome);
			}
		}

		/** Call with the lock held: flushes the decoders, once; {@code null} when that was done already. */
		private @Nullable ExecOutcome outcome(int exitCode, boolean killed) {
			if (this.settled) {
				return null;
			}
			this.settled = true;
			this.output.finish();
			long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.started);
			return new ExecOutcome(this.output.stdout(), this.output.stderr(), exitCode, killed, durationMs);
		}

		void fail(Throwable error) {
			cancelTimer();
			this.result.completeExceptionally(
					ContainerExec.this.engine.errors().map(error, subject(this.containerId)));
		}

		private void cancelTimer() {
			ScheduledFuture<?> current = this.timer;
			if (current != null) {
				current.cancel(false);
			}
		}

		private void closeQuietly() {
			Closeable current = this.connection;
			if (current != null) {
				try {
					current.close();
				}
				catch (IOException | RuntimeException ex) {
					// The connection is going away either way.
				}
			}
		}

		@Override
		public void close() {
			closeQuietly();
		}

	}

}
