package dev.sandboxer.provider.e2b;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.http.ConnectClient;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.provider.e2b.EnvdJson.ConnectRequest;
import dev.sandboxer.provider.e2b.EnvdJson.Empty;
import dev.sandboxer.provider.e2b.EnvdJson.ListRequest;
import dev.sandboxer.provider.e2b.EnvdJson.ListResponse;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessConfig;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEvent;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEventMessage;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessInput;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessSelector;
import dev.sandboxer.provider.e2b.EnvdJson.Pty;
import dev.sandboxer.provider.e2b.EnvdJson.PtySize;
import dev.sandboxer.provider.e2b.EnvdJson.SendInputRequest;
import dev.sandboxer.provider.e2b.EnvdJson.SendSignalRequest;
import dev.sandboxer.provider.e2b.EnvdJson.StartRequest;
import dev.sandboxer.provider.e2b.EnvdJson.UpdateRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Commands and terminals through envd's {@code process.Process} service.
 * <ul>
 * <li>A command runs as {@code /bin/bash -l -c <command>}, as the official SDK runs it: a login shell, so the
 * template's profile (PATH and the like) applies.</li>
 * <li>{@code runCommand} streams {@code Start}. Its timeout goes to envd as {@code Connect-Timeout-Ms}, which envd
 * uses as the process's deadline; the HTTP wait for the call is the timeout plus the provider's default timeout,
 * so a long command is not cut by the default. A command that runs past its timeout is killed and gives a result
 * with {@code timedOut} set, exit code -1 and the output until then; it is not an exception. The process is tagged
 * {@code sandboxer-run-<uuid>}, so that cancelling the future kills it by its pid, or by its tag before the pid is
 * known.</li>
 * <li>{@code startCommand} tags the process ({@code sandboxer-<uuid>}, the handle) and keeps reading its stream, so
 * {@code waitForHandle} from this client gets the whole output and the exit code even when the command ended before
 * the wait began. From another client, or after that stream was lost, {@code waitForHandle} attaches with
 * {@code Connect} by tag: envd replays no earlier output and keeps no exit status, so that wait sees output from
 * the moment it attached, and a command that already ended is not found.</li>
 * <li>Terminals are {@code Start} with a {@code pty} size; {@code Update} resizes, {@code SendInput} types,
 * {@code SendSignal} kills, {@code List} lists (terminals are the processes tagged {@code sandboxer-pty-...}).</li>
 * </ul>
 * Quiet streams stay open through envd's keepalive events, asked for with {@code Keepalive-Ping-Interval}.
 */
final class EnvdProcesses {

	static final String START = "process.Process/Start";

	static final String CONNECT = "process.Process/Connect";

	static final String LIST = "process.Process/List";

	static final String SEND_SIGNAL = "process.Process/SendSignal";

	static final String SEND_INPUT = "process.Process/SendInput";

	static final String UPDATE = "process.Process/Update";

	static final String SHELL = "/bin/bash";

	static final String SIGKILL = "SIGNAL_SIGKILL";

	static final String SIGTERM = "SIGNAL_SIGTERM";

	private static final Duration GRACE_POLL = Duration.ofMillis(200);

	static final String HANDLE_PREFIX = "sandboxer-";

	static final String PTY_TAG_PREFIX = "sandboxer-pty-";

	/** The tag of a process {@code runCommand} starts. */
	static final String RUN_TAG_PREFIX = "sandboxer-run-";

	/** How much output a background command keeps per stream for {@code waitForHandle}: the client's cap. */
	static final int BACKGROUND_OUTPUT_CHARS = CommandResult.DEFAULT_MAX_OUTPUT_CHARS;

	/** Finished background commands kept for a later {@code waitForHandle}, at most this many... */
	static final int MAX_FINISHED_KEPT = 16;

	/** ...and at most this long; older ones are evicted (a wait then attaches and finds nothing). */
	static final Duration FINISHED_RETENTION = Duration.ofMinutes(10);

	private static final Pattern PTY_TAG = Pattern.compile(Pattern.quote(PTY_TAG_PREFIX) + "(\\d+)x(\\d+)-.*");

	private static final Logger logger = LoggerFactory.getLogger(EnvdProcesses.class);

	private final Envd envd;

	private final Duration defaultTimeout;

	/** Every stream kept open in the background, across the provider's sandboxes, so that closing it ends them. */
	private final Disposable.Composite openStreams;

	/** Background commands started here, by handle, until someone waits for them. */
	private final Map<String, Background> background = new ConcurrentHashMap<>();

	/** Handles of finished background commands, oldest first, with when they finished (nanoTime). */
	private final Queue<Map.Entry<String, Long>> finished = new ConcurrentLinkedQueue<>();

	/** Terminals opened here, by pid, with their current size. */
	private final Map<Integer, Terminal> terminals = new ConcurrentHashMap<>();

	EnvdProcesses(Envd envd, Duration defaultTimeout, Disposable.Composite openStreams) {
		this.envd = envd;
		this.defaultTimeout = defaultTimeout;
		this.openStreams = openStreams;
	}

	CompletableFuture<CommandResult> run(RunCommandRequest request, CommandOutputListener listener) {
		long started = System.nanoTime();
		Duration timeout = request.timeout();
		CommandOutput output = new CommandOutput(listener, CommandResult.DEFAULT_MAX_OUTPUT_CHARS);
		// Tagged, so that a cancel that comes before the start event (no pid yet) can still kill it.
		String tag = RUN_TAG_PREFIX + UUID.randomUUID();
		HttpCall call = streamCall(START, "runCommand", request.user(), timeout);
		Flux<ProcessEventMessage> events = this.envd.stream(call,
				new StartRequest(shell(request.command(), request.env(), request.cwd()), null, tag, false),
				ProcessEventMessage.class);
		if (timeout != null) {
			// envd enforces the deadline itself; this bounds the wait should it not.
			events = events.takeUntilOther(Mono.delay(timeout.plus(guardGrace())));
		}
		return events.doOnNext(output::accept)
			.then(Mono.defer(() -> ranPastTimeout(output, started, timeout) ? timedOut(output, started, timeout)
					: Mono.just(output.result(millisSince(started)))))
			.onErrorResume(ProviderTimeoutException.class,
					(error) -> (timeout != null) ? timedOut(output, started, timeout) : Mono.error(error))
			.doOnCancel(() -> {
				Integer pid = output.pid();
				if (pid != null) {
					killQuietly(pid);
				}
				else {
					killTag(tag, "killCancelledCommand");
				}
			})
			.toFuture();
	}

	/** Runs a program without a shell, for the provider's own housekeeping (chmod after an upload). */
	Mono<CommandResult> exec(String program, List<String> args, @Nullable String user, String operation) {
		long started = System.nanoTime();
		CommandOutput output = new CommandOutput(CommandOutputListener.NONE, 64 * 1024);
		HttpCall call = streamCall(START, operation, user, this.defaultTimeout);
		return this.envd
			.stream(call, new StartRequest(new ProcessConfig(program, args, null, null), null, null, false),
					ProcessEventMessage.class)
			.doOnNext(output::accept)
			.then(Mono.fromSupplier(() -> output.result(millisSince(started))));
	}

	CompletableFuture<CommandHandle> start(StartCommandRequest request) {
		evictFinished();
		String handleId = HANDLE_PREFIX + UUID.randomUUID();
		long started = System.nanoTime();
		CommandOutput output = new CommandOutput(CommandOutputListener.NONE, BACKGROUND_OUTPUT_CHARS);
		CompletableFuture<CommandHandle> handle = new CompletableFuture<>();
		Background command = new Background(new CompletableFuture<>());
		this.background.put(handleId, command);
		command.result.whenComplete((result, error) -> {
			this.finished.add(Map.entry(handleId, System.nanoTime()));
			evictFinished();
		});
		HttpCall call = streamCall(START, "startCommand", request.user(), null);
		Flux<ProcessEventMessage> events = this.envd.stream(call,
				new StartRequest(shell(request.command(), request.env(), request.cwd()), null, handleId, false),
				ProcessEventMessage.class);
		keepOpen(command.subscription, events, (message) -> {
			output.accept(message);
			Integer pid = output.pid();
			if (pid != null && !handle.isDone()) {
				handle.complete(new CommandHandle(pid, handleId));
			}
		}, (error) -> {
			if (handle.completeExceptionally(error)) {
				this.background.remove(handleId);
			}
			command.result.completeExceptionally(error);
		}, () -> {
			if (handle.completeExceptionally(noStartEvent("startCommand"))) {
				this.background.remove(handleId);
			}
			command.result.complete(output.result(millisSince(started)));
		});
		startedWithin(handle, "startCommand", () -> {
			command.stop();
			this.background.remove(handleId);
			command.result.cancel(false);
			killTag(handleId, "killCancelledCommand");
		});
		return handle;
	}

	/**
	 * Bounds the wait for a process's start event, which keepalives alone would hold open for ever, and makes a
	 * cancelled start stop its work: in both cases the stream is dropped and the process (if envd started it) is
	 * killed by its tag, since its pid may not be known yet.
	 */
	private <T> void startedWithin(CompletableFuture<T> started, String operation, Runnable abandon) {
		Disposable timer = Mono.delay(this.defaultTimeout).subscribe((tick) -> {
			if (started.completeExceptionally(new ProviderTimeoutException(E2bSettings.PROVIDER, "e2b " + operation
					+ ": envd sent no start event for the process within " + this.defaultTimeout
					+ " (only keepalives); the process was killed if it had started", null))) {
				abandon.run();
			}
		});
		started.whenComplete((value, error) -> {
			timer.dispose();
			if (started.isCancelled()) {
				abandon.run();
			}
		});
	}

	/** Drops the oldest finished background commands past the count or the age kept. */
	private void evictFinished() {
		long oldest = System.nanoTime() - FINISHED_RETENTION.toNanos();
		for (Map.Entry<String, Long> head = this.finished.peek(); head != null; head = this.finished.peek()) {
			if (this.finished.size() <= MAX_FINISHED_KEPT && head.getValue() - oldest > 0) {
				return;
			}
			if (this.finished.remove(head)) {
				this.background.remove(head.getKey());
			}
		}
	}

	CompletableFuture<CommandResult> waitFor(String handleId) {
		Background command = this.background.get(handleId);
		if (command == null) {
			return attach(handleId).toFuture();
		}
		return command.result.handle((result, error) -> {
			if (error == null) {
				return CompletableFuture.completedFuture(result);
			}
			// The stream from Start was lost, not the command: envd may still be running it.
			return isConnectionLoss(error) ? attach(handleId).toFuture()
					: CompletableFuture.<CommandResult>failedFuture(error);
		}).thenCompose((future) -> future).whenComplete((result, error) -> this.background.remove(handleId));
	}

	CompletableFuture<Void> kill(int pid) {
		return signal(pid, "killProcess").toFuture();
	}

	/**
	 * SIGTERM, then envd's process list every {@code GRACE_POLL} until the pid is gone; SIGKILL if it is still
	 * there when the grace period is over.
	 */
	CompletableFuture<Void> kill(int pid, Duration grace, String operation) {
		Mono<Boolean> gone = Mono.defer(() -> listRaw(operation))
			.map((processes) -> processes.stream().noneMatch((process) -> Integer.valueOf(pid).equals(process.pid())));
		Mono<Boolean> endedInTime = gone.filter(Boolean::booleanValue)
			.repeatWhenEmpty((attempts) -> attempts.delayElements(GRACE_POLL))
			.timeout(grace, Mono.just(false));
		return send(pid, SIGTERM, operation).then(endedInTime)
			.flatMap((ended) -> ended ? Mono.<Void>empty() : send(pid, SIGKILL, operation))
			.toFuture();
	}

	CompletableFuture<List<ProcessInfo>> list() {
		return listRaw("listProcesses").map((processes) -> processes.stream()
			.filter((process) -> process.pid() != null)
			.map((process) -> new ProcessInfo(process.pid(), commandLine(process.config()), null))
			.toList()).toFuture();
	}

	CompletableFuture<PtyInfo> createPty(CreatePtyRequest request, PtyListener listener) {
		String tag = PTY_TAG_PREFIX + request.rows() + "x" + request.cols() + "-" + UUID.randomUUID();
		Map<String, String> env = new LinkedHashMap<>();
		env.put("TERM", "xterm-256color");
		env.put("LANG", "C.UTF-8");
		env.put("LC_ALL", "C.UTF-8");
		env.putAll(request.env());
		List<String> args = new ArrayList<>(List.of("-i", "-l"));
		if (request.command() != null) {
			args.addAll(List.of("-c", request.command()));
		}
		StartRequest start = new StartRequest(new ProcessConfig(SHELL, args, env, request.cwd()),
				new Pty(new PtySize(request.cols(), request.rows())), tag, null);
		CompletableFuture<PtyInfo> opened = new CompletableFuture<>();
		Terminal terminal = new Terminal(request.rows(), request.cols());
		HttpCall call = streamCall(START, "createPty", request.user(), null);
		keepOpen(terminal.subscription, this.envd.stream(call, start, ProcessEventMessage.class), (message) -> {
			ProcessEvent event = message.event();
			if (event == null) {
				return;
			}
			if (event.start() != null && event.start().pid() != null && !opened.isDone()) {
				terminal.pid = event.start().pid();
				this.terminals.put(terminal.pid, terminal);
				opened.complete(new PtyInfo(terminal.pid, terminal.rows, terminal.cols));
			}
			else if (event.data() != null && event.data().pty() != null) {
				listener.onOutput(event.data().pty());
			}
			else if (event.end() != null) {
				listener.onExit((event.end().exitCode() != null) ? event.end().exitCode() : 0);
			}
		}, (error) -> {
			if (!opened.completeExceptionally(error)) {
				logger.warn("e2b terminal {} stopped streaming: {}", terminal.pid, error.getMessage());
			}
			forget(terminal);
		}, () -> {
			opened.completeExceptionally(noStartEvent("createPty"));
			forget(terminal);
		});
		startedWithin(opened, "createPty", () -> {
			terminal.stop();
			forget(terminal);
			killTag(tag, "killCancelledPty");
		});
		return opened;
	}

	CompletableFuture<Void> sendPtyInput(int pid, byte[] data) {
		return this.envd
			.unary(SEND_INPUT, "sendPtyInput", null,
					new SendInputRequest(ProcessSelector.pid(pid), new ProcessInput(null, data)), Empty.class, false)
			.then()
			.toFuture();
	}

	CompletableFuture<Void> resizePty(int pid, int rows, int cols) {
		return this.envd
			.unary(UPDATE, "resizePty", null,
					new UpdateRequest(ProcessSelector.pid(pid), new Pty(new PtySize(cols, rows))), Empty.class, true)
			.doOnSuccess((ignored) -> {
				Terminal terminal = this.terminals.get(pid);
				if (terminal != null) {
					terminal.rows = rows;
					terminal.cols = cols;
				}
			})
			.then()
			.toFuture();
	}

	CompletableFuture<Void> killPty(int pid) {
		return signal(pid, "killPty").toFuture();
	}

	/** Terminals are the processes tagged as such; their size is the one last set here, else the one they had. */
	CompletableFuture<List<PtyInfo>> listPty() {
		return listRaw("listPty").map((processes) -> processes.stream()
			.filter((process) -> process.pid() != null && process.tag() != null)
			.map((process) -> {
				Matcher matcher = PTY_TAG.matcher(process.tag());
				if (!matcher.matches()) {
					return null;
				}
				Terminal known = this.terminals.get(process.pid());
				return (known != null) ? new PtyInfo(process.pid(), known.rows, known.cols)
						: new PtyInfo(process.pid(), Integer.parseInt(matcher.group(1)),
								Integer.parseInt(matcher.group(2)));
			})
			.filter((info) -> info != null)
			.toList()).toFuture();
	}

	int keptCommands() {
		return this.background.size();
	}

	/**
	 * Stops reading the streams of this handle's background commands and terminals; the processes keep running in
	 * the sandbox.
	 */
	void close() {
		this.background.values().forEach(Background::stop);
		this.background.clear();
		this.terminals.values().forEach(Terminal::stop);
		this.terminals.clear();
	}

	/** Reads a stream in the background, registered so that closing the provider stops reading it. */
	private void keepOpen(Disposable.Swap slot, Flux<ProcessEventMessage> events,
			Consumer<ProcessEventMessage> onMessage, Consumer<Throwable> onError, Runnable onComplete) {
		this.openStreams.add(slot);
		slot.update(events.doFinally((signal) -> this.openStreams.remove(slot))
			.subscribe(onMessage, onError, onComplete));
	}

	private Mono<CommandResult> attach(String handleId) {
		long started = System.nanoTime();
		CommandOutput output = new CommandOutput(CommandOutputListener.NONE, BACKGROUND_OUTPUT_CHARS);
		HttpCall call = streamCall(CONNECT, "waitForHandle", null, null);
		return this.envd
			.stream(call, new ConnectRequest(ProcessSelector.tag(handleId)), ProcessEventMessage.class)
			.doOnNext(output::accept)
			.then(Mono.fromSupplier(() -> output.result(millisSince(started))))
			.onErrorMap((error) -> error instanceof NotFoundException && !(error instanceof SandboxGoneException),
					(error) -> new NotFoundException(E2bSettings.PROVIDER, "e2b waitForHandle: no running command with "
							+ "handle " + handleId + " in sandbox " + this.envd.address().sandboxId()
							+ "; it may have ended before the wait began (envd keeps no exit status), or the handle "
							+ "is from another sandbox", error));
	}

	/**
	 * Whether the stream ended because the deadline passed: cut by the guard before the end event, or ended by a
	 * signal once the deadline had passed (envd reports its own kill as an ordinary end, racing the deadline).
	 */
	private static boolean ranPastTimeout(CommandOutput output, long started, @Nullable Duration timeout) {
		if (timeout == null) {
			return false;
		}
		return !output.ended() || (output.killedBySignal() && millisSince(started) >= timeout.toMillis());
	}

	private Mono<CommandResult> timedOut(CommandOutput output, long started, Duration timeout) {
		CommandResult result = output.timedOut(millisSince(started), timeout);
		Integer pid = output.pid();
		if (pid == null) {
			return Mono.just(result);
		}
		// envd kills at its deadline; this covers a deadline it did not enforce. envd signals only processes it
		// started, so a pid that was reused by another process is not at risk.
		return signal(pid, "killTimedOutCommand").onErrorResume((error) -> Mono.empty()).thenReturn(result);
	}

	private void killQuietly(@Nullable Integer pid) {
		if (pid != null) {
			signal(pid, "killCancelledCommand").subscribe(null,
					(error) -> logger.debug("Could not kill cancelled command {}: {}", pid, error.getMessage()));
		}
	}

	private void killTag(String tag, String operation) {
		this.envd
			.unary(SEND_SIGNAL, operation, null, new SendSignalRequest(ProcessSelector.tag(tag), SIGKILL), Empty.class,
					false)
			.subscribe(null, (error) -> logger.debug("Could not kill process tagged {}: {}", tag, error.getMessage()));
	}

	private Mono<Void> signal(int pid, String operation) {
		return send(pid, SIGKILL, operation);
	}

	private Mono<Void> send(int pid, String signal, String operation) {
		return this.envd
			.unary(SEND_SIGNAL, operation, null, new SendSignalRequest(ProcessSelector.pid(pid), signal), Empty.class,
					false)
			.then();
	}

	private Mono<List<EnvdJson.ProcessInfo>> listRaw(String operation) {
		return this.envd.unary(LIST, operation, null, new ListRequest(), ListResponse.class, true)
			.map((response) -> (response.processes() != null) ? response.processes() : List.of());
	}

	/**
	 * A streaming call: no repeat, a wait of the command's timeout plus the default (the default alone when it has
	 * none), keepalives often enough to keep a quiet stream within that wait, and the deadline for envd.
	 */
	private HttpCall streamCall(String procedure, String operation, @Nullable String user,
			@Nullable Duration deadline) {
		Duration wait = (deadline != null) ? deadline.plus(this.defaultTimeout) : this.defaultTimeout;
		HttpCall call = this.envd.rpc(procedure, operation, user)
			.neverRepeat()
			// A process stream holds its connection for the process's life: it must not take one from file calls.
			.longLived()
			.timeout(wait)
			.header(Envd.KEEPALIVE_HEADER, Envd.keepaliveSeconds(this.defaultTimeout));
		if (deadline != null) {
			call.header(ConnectClient.TIMEOUT_HEADER, ConnectClient.timeoutHeaderValue(deadline));
		}
		return call;
	}

	private Duration guardGrace() {
		Duration fiveSeconds = Duration.ofSeconds(5);
		return (this.defaultTimeout.compareTo(fiveSeconds) < 0) ? this.defaultTimeout : fiveSeconds;
	}

	private void forget(Terminal terminal) {
		if (terminal.pid != null) {
			this.terminals.remove(terminal.pid, terminal);
		}
	}

	private static ProcessConfig shell(String command, Map<String, String> env, @Nullable String cwd) {
		return new ProcessConfig(SHELL, List.of("-l", "-c", command), env.isEmpty() ? null : env, cwd);
	}

	private static String commandLine(@Nullable ProcessConfig config) {
		if (config == null) {
			return "";
		}
		List<String> parts = new ArrayList<>();
		parts.add(config.cmd());
		if (config.args() != null) {
			parts.addAll(config.args());
		}
		return String.join(" ", parts);
	}

	private static boolean isConnectionLoss(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null)
				? error.getCause() : error;
		return cause instanceof ProviderConnectionException || cause instanceof ProviderTimeoutException;
	}

	private static ProviderException noStartEvent(String operation) {
		return new ProviderException(E2bSettings.PROVIDER,
				"e2b " + operation + ": envd ended the stream without the process's start event");
	}

	private static long millisSince(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
	}

	/** A background command's stream and the result it will give. */
	private static final class Background {

		final CompletableFuture<CommandResult> result;

		final Disposable.Swap subscription = Disposables.swap();

		Background(CompletableFuture<CommandResult> result) {
			this.result = result;
		}

		void stop() {
			this.subscription.dispose();
		}

	}

	/** A terminal opened here: its stream and its size as last set. */
	private static final class Terminal {

		volatile @Nullable Integer pid;

		volatile int rows;

		volatile int cols;

		final Disposable.Swap subscription = Disposables.swap();

		Terminal(int rows, int cols) {
			this.rows = rows;
			this.cols = cols;
		}

		void stop() {
			this.subscription.dispose();
		}

	}

}
