package dev.sandboxer.provider.daytona;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.ShellLine;
import dev.sandboxer.http.VendorWebSocket;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.CommandOutputCollector;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * Commands through the toolbox.
 * <p>
 * {@code runCommand} without a listener is {@code POST /process/execute}: the toolbox runs the command line with the
 * sandbox's shell, with {@code cwd}, {@code envs} and {@code timeout} as the endpoint takes them, and answers once it
 * has ended with stdout and stderr <b>merged</b> in one {@code result}, which becomes the result's stdout (stderr
 * stays empty). At its timeout the toolbox kills the command's process group and answers 408; the result then says
 * {@code timedOut}, exit code -1, and has no output (the toolbox drops it). The HTTP wait is the command's timeout
 * plus the provider's default timeout.
 * <p>
 * {@code runCommand} with a listener runs in a session of its own instead and follows the session's log over the
 * toolbox's WebSocket, so output reaches the listener as it arrives, <b>stdout and stderr apart</b>; at the timeout
 * the session is deleted (its process group terminated), and the session is deleted at the end either way. The
 * session API takes no directory or environment, so those go in front of the command, strictly quoted
 * ({@link ShellWords}).
 * <p>
 * {@code startCommand} runs the command the same way in a session of its own ({@code POST /process/session}, then
 * {@code .../exec} with {@code runAsync}). Daytona exposes no process ids, so the pid is a number this client draws and
 * names the session with ({@code sandboxer-<pid>}): it works with {@code killProcess} (which deletes the session,
 * terminating its process group) and shows in {@code listProcesses}, from any client, but it is not an id of the
 * sandbox's kernel. The handle is the session id. {@code waitForHandle} polls the command until it has an exit code,
 * then reads the split log. A session's log passes through the shell line by line, so a last line without a newline
 * gets one.
 * <p>
 * Daytona's toolbox runs everything as the sandbox's user (chosen at create time, option {@code user}). A command
 * for another user is run through {@code sudo -n -H -u <user> -- env <env> sh -c <command>}, every word strictly
 * quoted ({@link ShellLine}); {@link OtherUsers} checks once per user that the sandbox can do that and answers
 * {@link dev.sandboxer.error.NotSupportedException} when it cannot (no sudo, or a password needed). The environment
 * then travels in the line, since sudo starts its command with a clean one; the working directory stays the call's.
 */
final class ToolboxProcesses {

	static final String SESSION_PREFIX = "sandboxer-";

	private static final Pattern OUR_SESSION = Pattern.compile(Pattern.quote(SESSION_PREFIX) + "([1-9][0-9]{0,9})");

	private static final Duration FIRST_POLL = Duration.ofMillis(100);

	private static final Duration LAST_POLL = Duration.ofSeconds(1);

	private final Toolbox toolbox;

	private final Duration defaultTimeout;

	private final OtherUsers users;

	ToolboxProcesses(Toolbox toolbox, Duration defaultTimeout, OtherUsers users) {
		this.toolbox = toolbox;
		this.defaultTimeout = defaultTimeout;
		this.users = users;
	}

	CompletableFuture<CommandResult> run(RunCommandRequest request, CommandOutputListener listener) {
		if (request.user() != null) {
			return this.users.check(request.user(), "runCommand").toFuture()
				.thenCompose((able) -> runChecked(request, listener));
		}
		return runChecked(request, listener);
	}

	private CompletableFuture<CommandResult> runChecked(RunCommandRequest request, CommandOutputListener listener) {
		if (listener != CommandOutputListener.NONE) {
			return stream(request, listener);
		}
		long started = System.nanoTime();
		Long seconds = (request.timeout() != null) ? ceilSeconds(request.timeout()) : null;
		Duration wait = (request.timeout() != null) ? request.timeout().plus(this.defaultTimeout) : this.defaultTimeout;
		ToolboxJson.ExecuteRequest body;
		try {
			body = (request.user() != null)
					? new ToolboxJson.ExecuteRequest(
							ShellLine.runAs(request.user(), request.env(), ShellLine.shellCommand(request.command())),
							request.cwd(), null, seconds)
					: new ToolboxJson.ExecuteRequest(request.command(), request.cwd(),
							request.env().isEmpty() ? null : request.env(), seconds);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.toolbox.call(HttpMethod.POST, "runCommand", "/process/execute", Map.of())
			.flatMap((call) -> call.neverRepeat().timeout(wait).jsonBody(body).json(ToolboxJson.ExecuteResponse.class))
			.map((response) -> {
				CommandOutputCollector output = new CommandOutputCollector(listener);
				byte[] result = (response.result() != null)
						? response.result().getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
				output.stdout(result, 0, result.length);
				output.finish();
				int exitCode = (response.exitCode() != null) ? response.exitCode() : -1;
				return new CommandResult(output.stdout(), output.stderr(), exitCode, millisSince(started), false,
						null);
			})
			.onErrorResume(ProviderException.class, (error) -> (error.status().orElse(0) == 408)
					? Mono.just(new CommandResult("", "", -1, millisSince(started), true, error.getMessage()))
					: Mono.error(error))
			.toFuture();
	}

	/**
	 * Runs a command in a session of its own and follows its log over the toolbox's WebSocket
	 * ({@code .../logs?follow=true}, raw with markers), so that stdout and stderr reach the listener apart as they
	 * arrive. The toolbox closes the socket once the command has an exit code, which is then read. At the command's
	 * timeout the session is deleted (its process group terminated) and the result says {@code timedOut}. The
	 * session is deleted at the end either way.
	 */
	private CompletableFuture<CommandResult> stream(RunCommandRequest request, CommandOutputListener listener) {
		String script;
		try {
			script = ShellWords.script(request.command(), request.cwd(), request.env(), request.user());
		}
		catch (BadConfigException | IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		long started = System.nanoTime();
		String sessionId = SESSION_PREFIX + ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		CommandOutputCollector output = new CommandOutputCollector(listener);
		LogStreams.Demux demux = new LogStreams.Demux((stdout, data, offset, length) -> {
			if (stdout) {
				output.stdout(data, offset, length);
			}
			else {
				output.stderr(data, offset, length);
			}
		});
		java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
		Mono<CommandResult> run = createSession(sessionId, "runCommand")
			.then(exec(sessionId, script, "runCommand"))
			.flatMap((executed) -> follow(sessionId, executed.cmdId(), demux, request, timedOut)
				.then(Mono.defer(() -> timedOut.get() ? Mono.<ToolboxJson.Command>empty()
						: command(sessionId, executed.cmdId()))))
			.flatMap((command) -> (command.exitCode() != null) ? Mono.just(command.exitCode())
					: Mono.<Integer>error(this.toolbox.http().failures().streamCut("runCommand",
							"the log of session " + sessionId + " ended before its command did", null)))
			.defaultIfEmpty(-1)
			.map((exitCode) -> {
				demux.finish();
				output.finish();
				return new CommandResult(output.stdout(), output.stderr(), exitCode, millisSince(started),
						timedOut.get(), timedOut.get() ? "killed at its timeout of " + request.timeout() : null);
			});
		return Mono.usingWhen(Mono.just(sessionId), (ignored) -> run,
				(ignored) -> deleteSession(sessionId, "runCommand").onErrorResume((error) -> Mono.empty()))
			.toFuture();
	}

	/** Completes when the toolbox closes the followed log (the command ended) or the command's timeout is hit. */
	private Mono<Void> follow(String sessionId, String commandId, LogStreams.Demux demux, RunCommandRequest request,
			java.util.concurrent.atomic.AtomicBoolean timedOut) {
		return this.toolbox
			.uri("/process/session/{p0}/command/{p1}/logs", Map.of("follow", "true"), sessionId, commandId)
			.flatMap((uri) -> {
				reactor.core.publisher.Sinks.Empty<Void> ended = reactor.core.publisher.Sinks.empty();
				org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
				this.toolbox.credentials().headers().forEach(headers::set);
				headers.set(LogStreams.SPLIT_OUTPUT_HEADER, "true");
				VendorWebSocket.Listener frames = new VendorWebSocket.Listener() {

					@Override
					public void onBinary(byte[] data) {
						demux.feed(data);
					}

					@Override
					public void onText(String text) {
						demux.feed(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
					}

					@Override
					public void onClose(int code, String reason) {
						ended.tryEmitEmpty();
					}

					@Override
					public void onError(dev.sandboxer.error.SandboxerException error) {
						ended.tryEmitError(error);
					}

				};
				return new VendorWebSocket(this.toolbox.http()).open(uri, headers, "runCommand", frames)
					.flatMap((socket) -> {
						Mono<Void> done = ended.asMono();
						if (request.timeout() != null) {
							Mono<Void> timeout = Mono.delay(request.timeout())
								.then(Mono.fromRunnable(() -> timedOut.set(true)))
								.then(deleteSession(sessionId, "runCommand").onErrorResume((error) -> Mono.empty()));
							done = Mono.firstWithSignal(done, timeout);
						}
						return done.doFinally((signal) -> socket.close());
					});
			});
	}

	private Mono<Void> createSession(String sessionId, String operation) {
		return this.toolbox.call(HttpMethod.POST, operation, "/process/session", Map.of())
			.flatMap((call) -> call.neverRepeat().jsonBody(new ToolboxJson.CreateSession(sessionId)).discard());
	}

	private Mono<ToolboxJson.SessionExecuted> exec(String sessionId, String script, String operation) {
		return this.toolbox.call(HttpMethod.POST, operation, "/process/session/{p0}/exec", Map.of(), sessionId)
			.flatMap((call) -> call.neverRepeat()
				.jsonBody(new ToolboxJson.SessionExecute(script, true))
				.json(ToolboxJson.SessionExecuted.class));
	}

	private Mono<ToolboxJson.Command> command(String sessionId, String commandId) {
		return this.toolbox
			.call(HttpMethod.GET, "runCommand", "/process/session/{p0}/command/{p1}", Map.of(), sessionId, commandId)
			.flatMap((call) -> call.json(ToolboxJson.Command.class));
	}

	CompletableFuture<CommandHandle> start(StartCommandRequest request) {
		if (request.user() != null) {
			return this.users.check(request.user(), "startCommand").toFuture()
				.thenCompose((able) -> startChecked(request));
		}
		return startChecked(request);
	}

	private CompletableFuture<CommandHandle> startChecked(StartCommandRequest request) {
		String script;
		try {
			script = ShellWords.script(request.command(), request.cwd(), request.env(), request.user());
		}
		catch (BadConfigException | IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		int pid = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		String sessionId = SESSION_PREFIX + pid;
		return createSession(sessionId, "startCommand")
			// A session whose command could not start would only hold a shell: it goes.
			.then(exec(sessionId, script, "startCommand")
				.onErrorResume((error) -> deleteSession(sessionId, "startCommand")
					.onErrorResume((ignored) -> Mono.empty())
					.then(Mono.error(error))))
			.thenReturn(new CommandHandle(pid, sessionId))
			.toFuture();
	}

	CompletableFuture<CommandResult> waitFor(String handleId) {
		long started = System.nanoTime();
		return poll(handleId, FIRST_POLL).flatMap((command) -> logs(handleId, command.id()).map((log) -> {
			LogStreams streams = LogStreams.split(log);
			CommandOutputCollector output = new CommandOutputCollector(CommandOutputListener.NONE);
			output.stdout(streams.stdout(), 0, streams.stdout().length);
			output.stderr(streams.stderr(), 0, streams.stderr().length);
			output.finish();
			return new CommandResult(output.stdout(), output.stderr(), command.exitCode(), millisSince(started),
					false, null);
		})).toFuture();
	}

	CompletableFuture<Void> kill(int pid) {
		return deleteSession(SESSION_PREFIX + pid, "killProcess").toFuture();
	}

	/**
	 * The commands started through this provider that still run (sessions named {@code sandboxer-<pid>} whose
	 * command has no exit code yet). The toolbox has no process table; other sessions have no pid and are left out.
	 */
	CompletableFuture<List<ProcessInfo>> list() {
		return this.toolbox.call(HttpMethod.GET, "listProcesses", "/process/session", Map.of())
			.flatMap((call) -> call.json(ToolboxJson.Session[].class))
			.map((sessions) -> {
				List<ProcessInfo> running = new ArrayList<>();
				for (ToolboxJson.Session session : sessions) {
					Matcher ours = OUR_SESSION.matcher(session.sessionId());
					if (!ours.matches() || session.commands() == null) {
						continue;
					}
					long pid = Long.parseLong(ours.group(1));
					for (ToolboxJson.Command command : session.commands()) {
						if (command.exitCode() == null && pid <= Integer.MAX_VALUE) {
							String text = (command.command() != null) ? ShellWords.command(command.command()) : "";
							running.add(new ProcessInfo((int) pid, text, null));
						}
					}
				}
				return List.copyOf(running);
			})
			.toFuture();
	}

	private Mono<ToolboxJson.Command> poll(String sessionId, Duration pause) {
		return this.toolbox.call(HttpMethod.GET, "waitForHandle", "/process/session/{p0}", Map.of(), sessionId)
			.flatMap((call) -> call.json(ToolboxJson.Session.class))
			.flatMap((session) -> {
				ToolboxJson.Command command = (session.commands() != null && !session.commands().isEmpty())
						? session.commands().get(session.commands().size() - 1) : null;
				if (command != null && command.exitCode() != null) {
					return Mono.just(command);
				}
				Duration next = Duration.ofMillis(Math.min(LAST_POLL.toMillis(), pause.toMillis() * 3 / 2));
				return Mono.delay(pause).then(poll(sessionId, next));
			});
	}

	private Mono<byte[]> logs(String sessionId, String commandId) {
		return this.toolbox
			.call(HttpMethod.GET, "waitForHandle", "/process/session/{p0}/command/{p1}/logs", Map.of(), sessionId,
					commandId)
			.flatMap((call) -> call.header(LogStreams.SPLIT_OUTPUT_HEADER, "true").bytes())
			.map((answer) -> answer.body());
	}

	private Mono<Void> deleteSession(String sessionId, String operation) {
		return this.toolbox.call(HttpMethod.DELETE, operation, "/process/session/{p0}", Map.of(), sessionId)
			.flatMap((call) -> call.discard());
	}

	private static long ceilSeconds(Duration timeout) {
		long seconds = timeout.getSeconds();
		return (timeout.getNano() > 0) ? seconds + 1 : seconds;
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

}
