package dev.sandboxer.provider.blaxel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.LineDecoder;
import dev.sandboxer.http.ShellLine;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.CommandOutputCollector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Commands through sandbox-api's {@code /process} (blaxel-ai/sandbox {@code handler/process.go},
 * {@code process/service.go}). sandbox-api runs a command as {@code sh -c <command>}: the command is the user's
 * shell text, passed through untouched.
 * <ul>
 * <li>Every command gets a name ({@code sandboxer-<uuid>}), which sandox-api accepts wherever a pid is accepted, so a
 * command can be found and killed even when its pid never arrived.</li>
 * <li>{@code runCommand} asks for the NDJSON stream ({@code Accept: text/event-stream}): output arrives as it is
 * written, and the server's keepalive every 5 s keeps the edge in front of the sandbox (which cuts silent requests
 * after about a minute) from ending a long command. The stream does not enforce a timeout (sandbox-api passes it on
 * only to waiting or keepAlive processes), so the command's timeout is kept here: past it the process is killed by
 * name and the result says {@code timedOut}, with the output until then. The HTTP wait is the command's timeout plus
 * the default timeout.</li>
 * <li>The result's stdout and stderr are the server's own copy from the final {@code result} event (exact, including
 * for a command too quick to have streamed anything), unless the server cut it to its last 64 KiB; then they are the
 * streamed text.</li>
 * <li>{@code waitForHandle} works from any client: it follows {@code GET /process/{name}/logs/stream}, which ends
 * when the process does, checks {@code GET /process/{name}}, and reads the whole output from
 * {@code GET /process/{name}/logs} (up to the server's 4 MiB).</li>
 * <li>{@code listProcesses} lists the running processes (sandbox-api also keeps finished ones).</li>
 * </ul>
 * sandbox-api runs every process as the sandbox's own user and takes no user per call. A command for another user
 * is sent as {@code sudo -n -H -u <user> -- env <env> sh -c <command>}, every word strictly quoted
 * ({@link ShellLine}), with no {@code env} field (sudo would clear it; the working directory stays a field);
 * {@link OtherUsers} checks once per user that the sandbox can do that and answers
 * {@link dev.sandboxer.error.NotSupportedException} when it cannot.
 */
final class BlaxelProcesses {

	static final String NAME_PREFIX = "sandboxer-";

	/** The prefix sandbox-api puts on an inlined output it cut to its tail ({@code process/logbuffer.go}). */
	static final String TRUNCATED = "[... truncated, see the process log file for the full output ...]";

	/** One NDJSON event carries a chunk of output or a whole result with 64 KiB of inlined output per stream. */
	private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

	private static final Duration POLL_PAUSE = Duration.ofMillis(250);

	private static final Logger logger = LoggerFactory.getLogger(BlaxelProcesses.class);

	private final SandboxApi api;

	private final OtherUsers users;

	BlaxelProcesses(SandboxApi api, OtherUsers users) {
		this.api = api;
		this.users = users;
	}

	Mono<CommandResult> run(RunCommandRequest request, CommandOutputListener listener) {
		if (request.user() != null) {
			String user = request.user();
			return this.users.check(user, "runCommand")
				.then(Mono.defer(() -> runChecked(request, listener,
						ShellLine.runAs(user, request.env(), ShellLine.shellCommand(request.command())), null)));
		}
		return runChecked(request, listener, request.command(), envOrNull(request.env()));
	}

	/** Runs {@code line} (the request's command, or its sudo line) with {@code env} as the request says. */
	private Mono<CommandResult> runChecked(RunCommandRequest request, CommandOutputListener listener, String line,
			@Nullable Map<String, String> env) {
		long started = System.nanoTime();
		String name = newName();
		Duration timeout = request.timeout();
		CommandOutputCollector output = new CommandOutputCollector(listener);
		HttpCall call = this.api.call(HttpMethod.POST, "/process", "runCommand")
			.neverRepeat()
			.header(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE)
			.jsonBody(new BlaxelJson.ProcessRequest(line, name, request.cwd(), env, null,
					(timeout != null) ? seconds(timeout) : null));
		if (timeout != null) {
			call.timeout(timeout.plus(this.api.defaultTimeout()));
		}
		Mono<CommandResult> finished = call.stream().flatMap((answer) -> {
			if (!isNdjson(answer.headers())) {
				// A sandbox-api without streaming answers with the process as JSON; the listener then hears its
				// output at the end, in one piece per stream.
				return DataBufferUtils.join(answer.body())
					.map((joined) -> readWhole(joined, answer.status(), BlaxelJson.ProcessResponse.class, "runCommand"))
					.flatMap((process) -> isRunning(process)
							? waitFor(name).doOnNext((whole) -> {
								hear(output, whole.stdout(), whole.stderr());
								output.finish();
							})
							: Mono.fromSupplier(() -> {
								hear(output, process.stdout(), process.stderr());
								return result(process, output, started);
							}));
			}
			AtomicReference<BlaxelJson.ProcessResponse> last = new AtomicReference<>();
			LineDecoder lines = new LineDecoder(MAX_EVENT_BYTES);
			LineDecoder.LineHandler onLine = (bytes, offset, length) -> onEvent(bytes, offset, length, output, last,
					answer.status());
			return answer.body().doOnNext((buffer) -> {
				try {
					byte[] chunk = new byte[buffer.readableByteCount()];
					buffer.read(chunk);
					lines.feed(chunk, 0, chunk.length, onLine);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			}).then(Mono.fromCallable(() -> {
				lines.finish(onLine);
				BlaxelJson.ProcessResponse process = last.get();
				if (process == null) {
					throw this.api.http().failures().streamCut("runCommand",
							"the command's stream ended before its result", null);
				}
				return result(process, output, started);
			}));
		});
		if (timeout != null) {
			finished = finished.timeout(timeout, Mono.defer(() -> killQuietly(name)
				.then(Mono.fromSupplier(() -> timedOut(output, started, timeout)))));
		}
		return finished.doOnCancel(() -> killQuietly(name).subscribe());
	}

	Mono<CommandHandle> start(StartCommandRequest request) {
		if (request.user() != null) {
			String user = request.user();
			return this.users.check(user, "startCommand")
				.then(Mono.defer(() -> startChecked(request,
						ShellLine.runAs(user, request.env(), ShellLine.shellCommand(request.command())), null)));
		}
		return startChecked(request, request.command(), envOrNull(request.env()));
	}

	private Mono<CommandHandle> startChecked(StartCommandRequest request, String line,
			@Nullable Map<String, String> env) {
		String name = newName();
		return this.api.call(HttpMethod.POST, "/process", "startCommand")
			.neverRepeat()
			.jsonBody(new BlaxelJson.ProcessRequest(line, name, request.cwd(), env, Boolean.FALSE, null))
			.json(BlaxelJson.ProcessResponse.class)
			.map((process) -> {
				Integer pid = pid(process.pid());
				if (pid == null) {
					throw new ProviderException(BlaxelSettings.PROVIDER, "blaxel startCommand: the process started as "
							+ name + " but its pid '" + process.pid() + "' is not a number", 200, null, null);
				}
				return new CommandHandle(pid, (process.name() != null) ? process.name() : name);
			});
	}

	/** Waits for a process by name or pid, from any client. */
	Mono<CommandResult> waitFor(String handleId) {
		long started = System.nanoTime();
		return waitLoop(handleId, started);
	}

	Mono<Void> kill(String identifier, String operation) {
		return this.api.call(HttpMethod.DELETE, "/process/" + PathSegment.encode(identifier) + "/kill", operation)
			.discard();
	}

	/**
	 * Blaxel's graceful stop ({@code DELETE /process/{id}}), then the process list until the pid is no longer
	 * running; the kill endpoint if it still runs when the grace period is over.
	 */
	Mono<Void> stop(int pid, Duration grace, String operation) {
		String identifier = String.valueOf(pid);
		Mono<Boolean> gone = Mono.defer(this::list)
			.map((processes) -> processes.stream().noneMatch((process) -> process.pid() == pid));
		return this.api.call(HttpMethod.DELETE, "/process/" + PathSegment.encode(identifier), operation)
			.discard()
			.then(gone.filter(Boolean::booleanValue)
				.repeatWhenEmpty((attempts) -> attempts.delayElements(Duration.ofMillis(200)))
				.timeout(grace, Mono.just(false)))
			.flatMap((ended) -> ended ? Mono.<Void>empty() : kill(identifier, operation));
	}

	Mono<List<ProcessInfo>> list() {
		return this.api.call(HttpMethod.GET, "/process", "listProcesses")
			.json(BlaxelJson.ProcessResponse[].class)
			.map((processes) -> java.util.Arrays.stream(processes)
				.filter(BlaxelProcesses::isRunning)
				.filter((process) -> pid(process.pid()) != null)
				.map((process) -> new ProcessInfo(pid(process.pid()), (process.command() != null) ? process.command() : "",
						null))
				.toList());
	}

	/** {@code chown user path}, both strictly quoted, waited for; a non-zero exit is a failure. */
	Mono<Void> chown(String user, String path) {
		String command = "chown " + ShellLine.quote(user) + " " + ShellLine.quote(path);
		return this.api.call(HttpMethod.POST, "/process", "writeFile")
			.neverRepeat()
			.jsonBody(new BlaxelJson.ProcessRequest(command, newName(), null, null, Boolean.TRUE,
					seconds(this.api.defaultTimeout())))
			.json(BlaxelJson.ProcessResponse.class)
			.flatMap((process) -> (process.exitCode() != null && process.exitCode() == 0) ? Mono.<Void>empty()
					: Mono.error(new ProviderException(BlaxelSettings.PROVIDER,
							"blaxel writeFile: the file was written but could not be given to user " + user + ": "
									+ ((process.stderr() != null) ? process.stderr().strip() : "chown failed"),
							null, "chown_failed", null)));
	}

	private Mono<CommandResult> waitLoop(String id, long started) {
		String path = "/process/" + PathSegment.encode(id);
		return this.api.call(HttpMethod.GET, path, "waitForHandle")
			.json(BlaxelJson.ProcessResponse.class)
			.flatMap((process) -> {
				if (!isRunning(process)) {
					return this.api.call(HttpMethod.GET, path + "/logs", "waitForHandle")
						.json(BlaxelJson.ProcessLogs.class)
						.map((logs) -> new CommandResult(logs.stdout(), logs.stderr(), exitCode(process),
								duration(process, started), false, null));
				}
				return followLogs(path).then(Mono.delay(POLL_PAUSE)).then(Mono.defer(() -> waitLoop(id, started)));
			});
	}

	/** Completes when the process ends (the log stream closes), or when the stream goes quiet or breaks. */
	private Mono<Void> followLogs(String path) {
		return this.api.call(HttpMethod.GET, path + "/logs/stream", "waitForHandle")
			.stream()
			.flatMap((answer) -> answer.body().doOnNext(DataBufferUtils::release).then())
			.onErrorResume((error) -> error instanceof ProviderTimeoutException
					|| error instanceof StreamInterruptedException || error instanceof ProviderConnectionException,
					(error) -> Mono.empty());
	}

	private void onEvent(byte[] bytes, int offset, int length, CommandOutputCollector output,
			AtomicReference<BlaxelJson.ProcessResponse> last, int status) {
		if (length == 0) {
			return;
		}
		JsonCodec json = this.api.http().json();
		BlaxelJson.StreamEvent event;
		try {
			event = json.read(bytes, offset, length, BlaxelJson.StreamEvent.class);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.api.http().failures().malformedBody("runCommand", status, String.valueOf(ex.getMessage()));
		}
		String data = (event.data() != null) ? event.data() : "";
		switch ((event.type() != null) ? event.type() : "") {
			case "stdout" -> {
				byte[] text = data.getBytes(StandardCharsets.UTF_8);
				output.stdout(text, 0, text.length);
			}
			case "stderr" -> {
				byte[] text = data.getBytes(StandardCharsets.UTF_8);
				output.stderr(text, 0, text.length);
			}
			case "result" -> {
				try {
					last.set(json.read(data.getBytes(StandardCharsets.UTF_8), BlaxelJson.ProcessResponse.class));
				}
				catch (JsonCodec.MalformedJsonException ex) {
					throw this.api.http().failures().malformedBody("runCommand", status,
							"result event: " + ex.getMessage());
				}
			}
			case "error" -> throw new ProviderException(BlaxelSettings.PROVIDER,
					"blaxel runCommand failed: " + this.api.http().redactor().redact(data), status, "process_error", null);
			default -> {
				// keepalive, and event types added later
			}
		}
	}

	private static void hear(CommandOutputCollector output, @Nullable String stdout, @Nullable String stderr) {
		byte[] out = (stdout != null) ? stdout.getBytes(StandardCharsets.UTF_8) : new byte[0];
		byte[] err = (stderr != null) ? stderr.getBytes(StandardCharsets.UTF_8) : new byte[0];
		output.stdout(out, 0, out.length);
		output.stderr(err, 0, err.length);
	}

	private CommandResult result(BlaxelJson.ProcessResponse process, CommandOutputCollector output, long started) {
		output.finish();
		return new CommandResult(pick(process.stdout(), output.stdout()), pick(process.stderr(), output.stderr()),
				exitCode(process), millisSince(started), false, null, output.truncated());
	}

	private static CommandResult timedOut(CommandOutputCollector output, long started, Duration timeout) {
		output.finish();
		return output.result(-1, millisSince(started), true,
				"timed out after " + timeout.toMillis() + " ms; the process was killed");
	}

	private Mono<Void> killQuietly(String name) {
		return kill(name, "runCommand").onErrorResume((error) -> {
			logger.debug("blaxel: could not kill {} after its timeout: {}", name, error.getMessage());
			return Mono.empty();
		});
	}

	private <T> T readWhole(DataBuffer joined, int status, Class<T> type, String operation) {
		try {
			byte[] content = new byte[joined.readableByteCount()];
			joined.read(content);
			return this.api.http().json().read(content, type);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.api.http().failures().malformedBody(operation, status, String.valueOf(ex.getMessage()));
		}
		finally {
			DataBufferUtils.release(joined);
		}
	}

	private static String pick(@Nullable String inlined, String streamed) {
		return (inlined == null || inlined.startsWith(TRUNCATED)) ? streamed : inlined;
	}

	static boolean isRunning(BlaxelJson.ProcessResponse process) {
		return "running".equalsIgnoreCase(process.status());
	}

	private static int exitCode(BlaxelJson.ProcessResponse process) {
		if (process.exitCode() != null) {
			return process.exitCode();
		}
		return "completed".equalsIgnoreCase(process.status()) ? 0 : 1;
	}

	/** From the server's start and end times (RFC 1123), else the time this client waited. */
	private static long duration(BlaxelJson.ProcessResponse process, long started) {
		try {
			if (process.startedAt() != null && process.completedAt() != null && !process.completedAt().isBlank()) {
				ZonedDateTime start = ZonedDateTime.parse(process.startedAt(), DateTimeFormatter.RFC_1123_DATE_TIME);
				ZonedDateTime end = ZonedDateTime.parse(process.completedAt(), DateTimeFormatter.RFC_1123_DATE_TIME);
				return Math.max(0, Duration.between(start, end).toMillis());
			}
		}
		catch (DateTimeParseException ex) {
			// fall through to the client's own measure
		}
		return millisSince(started);
	}

	static @Nullable Integer pid(@Nullable String text) {
		if (text == null) {
			return null;
		}
		try {
			return Integer.valueOf(text.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static boolean isNdjson(HttpHeaders headers) {
		MediaType type = headers.getContentType();
		return type != null && type.getSubtype().contains("ndjson");
	}

	private static @Nullable Map<String, String> envOrNull(Map<String, String> env) {
		return env.isEmpty() ? null : env;
	}

	/** Whole seconds, rounded up: sandbox-api's timeouts are in seconds. */
	private static long seconds(Duration duration) {
		return Math.max(1, duration.getSeconds() + ((duration.getNano() > 0) ? 1 : 0));
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

	private static String newName() {
		return NAME_PREFIX + UUID.randomUUID();
	}

}
