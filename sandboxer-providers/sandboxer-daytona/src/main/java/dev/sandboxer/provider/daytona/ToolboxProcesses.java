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
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
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
 * {@code runCommand} is {@code POST /process/execute}: the toolbox runs the command line with the sandbox's shell,
 * with {@code cwd}, {@code envs} and {@code timeout} as the endpoint takes them, and answers once it has ended with
 * stdout and stderr <b>merged</b> in one {@code result}. So the whole output is the result's stdout (stderr stays
 * empty) and reaches a listener in one piece when the command ends. At its timeout the toolbox kills the command's
 * process group and answers 408; the result then says {@code timedOut}, exit code -1, and has no output (the toolbox
 * drops it). The HTTP wait is the command's timeout plus the provider's default timeout.
 * <p>
 * {@code startCommand} runs the command in a session of its own ({@code POST /process/session}, then
 * {@code .../exec} with {@code runAsync}), whose log keeps stdout and stderr apart. Daytona exposes no process ids,
 * so the pid is a number this client draws and names the session with ({@code sandboxer-<pid>}): it works with
 * {@code killProcess} (which deletes the session, terminating its process group) and shows in
 * {@code listProcesses}, from any client, but it is not an id of the sandbox's kernel. The handle is the session id.
 * {@code waitForHandle} polls the command until it has an exit code, then reads the split log. The session's log
 * passes through the shell line by line, so a last line without a newline gets one.
 * <p>
 * Daytona's toolbox runs everything as the sandbox's user (chosen at create time, option {@code user}); a command
 * for another user is {@link NotSupportedException}.
 */
final class ToolboxProcesses {

	static final String SESSION_PREFIX = "sandboxer-";

	private static final Pattern OUR_SESSION = Pattern.compile(Pattern.quote(SESSION_PREFIX) + "([1-9][0-9]{0,9})");

	private static final Duration FIRST_POLL = Duration.ofMillis(100);

	private static final Duration LAST_POLL = Duration.ofSeconds(1);

	private final Toolbox toolbox;

	private final Duration defaultTimeout;

	ToolboxProcesses(Toolbox toolbox, Duration defaultTimeout) {
		this.toolbox = toolbox;
		this.defaultTimeout = defaultTimeout;
	}

	CompletableFuture<CommandResult> run(RunCommandRequest request, CommandOutputListener listener) {
		if (request.user() != null) {
			return CompletableFuture.failedFuture(otherUser("runCommand"));
		}
		long started = System.nanoTime();
		Long seconds = (request.timeout() != null) ? ceilSeconds(request.timeout()) : null;
		Duration wait = (request.timeout() != null) ? request.timeout().plus(this.defaultTimeout) : this.defaultTimeout;
		ToolboxJson.ExecuteRequest body = new ToolboxJson.ExecuteRequest(request.command(), request.cwd(),
				request.env().isEmpty() ? null : request.env(), seconds);
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

	CompletableFuture<CommandHandle> start(StartCommandRequest request) {
		if (request.user() != null) {
			return CompletableFuture.failedFuture(otherUser("startCommand"));
		}
		String script;
		try {
			script = ShellWords.script(request.command(), request.cwd(), request.env());
		}
		catch (BadConfigException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		int pid = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		String sessionId = SESSION_PREFIX + pid;
		Mono<Void> createSession = this.toolbox.call(HttpMethod.POST, "startCommand", "/process/session", Map.of())
			.flatMap((call) -> call.neverRepeat().jsonBody(new ToolboxJson.CreateSession(sessionId)).discard());
		Mono<ToolboxJson.SessionExecuted> exec = this.toolbox
			.call(HttpMethod.POST, "startCommand", "/process/session/{p0}/exec", Map.of(), sessionId)
			.flatMap((call) -> call.neverRepeat()
				.jsonBody(new ToolboxJson.SessionExecute(script, true))
				.json(ToolboxJson.SessionExecuted.class));
		return createSession
			.then(exec.onErrorResume((error) -> deleteSession(sessionId, "startCommand").onErrorResume((ignored) -> Mono.empty())
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

	static NotSupportedException otherUser(String operation) {
		return new NotSupportedException(DaytonaSettings.PROVIDER, operation + " as another user",
				"Daytona's toolbox runs every process as the sandbox's user; choose that user at create time with the "
						+ "option 'user'");
	}

	private static long ceilSeconds(Duration timeout) {
		long seconds = timeout.getSeconds();
		return (timeout.getNano() > 0) ? seconds + 1 : seconds;
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

}
