package dev.sandboxer.provider.runloop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.ServerSentEventDecoder;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.provider.runloop.RunloopJson.ExecuteAsync;
import dev.sandboxer.provider.runloop.RunloopJson.Execution;
import dev.sandboxer.provider.runloop.RunloopJson.KillExecution;
import dev.sandboxer.provider.runloop.RunloopJson.OutputChunk;
import dev.sandboxer.provider.runloop.RunloopJson.WaitForStatus;
import dev.sandboxer.spi.CommandOutputCollector;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Runloop's executions ({@code resources/devboxes/executions.py}): a command starts with {@code execute_async}, its
 * end is awaited with the {@code wait_for_status} long-poll, and its output is read from the two server-sent-event
 * streams, which give all of it as it is written (the execution's own {@code stdout} holds only its last 100 lines).
 * <p>
 * The API has no timeout for a command: one that outlives its timeout is killed with its process group through
 * {@code kill}. Starting a command is never repeated; waiting, reading and killing are.
 */
final class Executions {

	/** The server holds an execution's {@code wait_for_status} at most this long ({@code _constants.py}). */
	static final int EXEC_HOLD_SECONDS = 25;

	/** After the command ends, how long its output streams may take to end too, as the official SDK allows. */
	static final Duration STREAM_GRACE = Duration.ofSeconds(5);

	/** The longest silence of an output stream before it is reopened where it stopped, as the official SDK does. */
	static final Duration STREAM_SILENCE = Duration.ofSeconds(60);

	private static final int MAX_EVENT_LINE = 8 * 1024 * 1024;

	private final VendorHttpClient http;

	private final URI baseUrl;

	private final String apiKey;

	Executions(VendorHttpClient http, URI baseUrl, String apiKey) {
		this.http = http;
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
	}

	/** Starts a command line; never repeated, since a second call would run it twice. */
	Mono<Execution> start(String devboxId, String line, String operation) {
		return call(this.http.post(uri("/v1/devboxes/{id}/execute_async", devboxId)), operation).neverRepeat()
			.jsonBody(new ExecuteAsync(line))
			.json(Execution.class);
	}

	/**
	 * Runs a command line to its end (or its timeout) and collects its output.
	 * @param skipPidLine whether the first stdout line is the pid announced by {@link ShellCommand} and not output
	 */
	Mono<CommandResult> run(String devboxId, String line, @Nullable Duration timeout, CommandOutputCollector output,
			String operation) {
		long started = System.nanoTime();
		return start(devboxId, line, operation)
			.flatMap((execution) -> follow(devboxId, execution.executionId(), timeout, output, false, started,
					operation));
	}

	/** Follows a started execution to its end: its output as it comes, then its exit status. */
	Mono<CommandResult> follow(String devboxId, String executionId, @Nullable Duration timeout,
			CommandOutputCollector output, boolean skipPidLine, long started, String operation) {
		Instant deadline = (timeout != null) ? Instant.now().plus(timeout) : null;
		Mono<Execution> done = waitCompleted(devboxId, executionId, deadline, operation).cache();
		PidLineFilter pidLine = new PidLineFilter(skipPidLine);
		Mono<Void> stdout = output(devboxId, executionId, "stdout", operation).map(pidLine::filter)
			.doOnNext((text) -> feed(output, text, true))
			.then();
		Mono<Void> stderr = output(devboxId, executionId, "stderr", operation)
			.doOnNext((text) -> feed(output, text, false))
			.then();
		Mono<Void> streams = Mono.when(stdout, stderr).takeUntilOther(done.then(Mono.delay(STREAM_GRACE)));
		return Mono.when(streams, done).then(done).map((execution) -> {
			output.finish();
			String out = output.stdout();
			String err = output.stderr();
			// Streams that said nothing while the execution holds output: fall back to the last lines it kept.
			if (out.isEmpty() && execution.stdout() != null) {
				out = pidLine.strip(execution.stdout());
			}
			if (err.isEmpty() && execution.stderr() != null) {
				err = execution.stderr();
			}
			int exit = (execution.exitStatus() != null) ? execution.exitStatus() : -1;
			return new CommandResult(out, err, exit, millisSince(started), false, null, output.truncated());
		}).onErrorResume(CommandDeadline.class, (ignored) -> kill(devboxId, executionId, operation)
			.onErrorResume(SandboxerException.class, (killFailure) -> Mono.empty())
			.then(Mono.fromSupplier(() -> {
				output.finish();
				return output.result(-1, millisSince(started), true, "killed after its timeout of " + timeout);
			})));
	}

	/** Long-polls until the execution is completed; past the deadline, fails with {@link CommandDeadline}. */
	Mono<Execution> waitCompleted(String devboxId, String executionId, @Nullable Instant deadline, String operation) {
		return Mono.defer(() -> {
			int hold = EXEC_HOLD_SECONDS;
			if (deadline != null) {
				long left = Duration.between(Instant.now(), deadline).toMillis();
				if (left <= 0) {
					return Mono.error(new CommandDeadline());
				}
				hold = (int) Math.max(1, Math.min(EXEC_HOLD_SECONDS, (left + 999) / 1000));
			}
			return call(this.http.post(executionUri(devboxId, executionId, "/wait_for_status")), operation)
				.safeToRepeat()
				.timeout(Duration.ofSeconds(hold).plus(Devboxes.HOLD_MARGIN))
				.jsonBody(new WaitForStatus(List.of("completed"), hold))
				.json(Execution.class)
				.flatMap((execution) -> "completed".equals(execution.status()) ? Mono.just(execution)
						: waitCompleted(devboxId, executionId, deadline, operation))
				.onErrorResume(Executions::isHoldElapsed,
						(error) -> waitCompleted(devboxId, executionId, deadline, operation));
		});
	}

	/** Kills the execution's whole process group; killing twice changes nothing, so it is repeated when needed. */
	Mono<Void> kill(String devboxId, String executionId, String operation) {
		return call(this.http.post(executionUri(devboxId, executionId, "/kill")), operation).safeToRepeat()
			.jsonBody(new KillExecution(true))
			.discard();
	}

	/**
	 * One output stream of an execution as text, from its start, reopened where it stopped when the server ends a
	 * hold (408) or the stream is silent past {@link #STREAM_SILENCE}. The official client reopens at the offset of
	 * the last chunk it saw; a chunk that comes again at that same offset is dropped, so nothing is delivered twice
	 * whether the offset names a chunk's first or its last byte.
	 */
	Flux<String> output(String devboxId, String executionId, String stream, String operation) {
		AtomicReference<Long> lastOffset = new AtomicReference<>();
		return openStream(devboxId, executionId, stream, operation, lastOffset, false);
	}

	/** The first line of stdout, which {@link ShellCommand} makes the pid; empty if stdout ends before a line. */
	Mono<String> firstLine(String devboxId, String executionId, String operation) {
		return output(devboxId, executionId, "stdout", operation)
			.scan(new StringBuilder(), StringBuilder::append)
			.filter((text) -> text.indexOf("\n") >= 0)
			.next()
			.map((text) -> text.substring(0, text.indexOf("\n")).strip());
	}

	private Flux<String> openStream(String devboxId, String executionId, String stream, String operation,
			AtomicReference<Long> lastOffset, boolean reopened) {
		return Flux.defer(() -> {
			UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.baseUrl)
				.path("/v1/devboxes/{devbox}/executions/{execution}/stream_" + stream + "_updates");
			Long offset = lastOffset.get();
			if (offset != null) {
				builder.queryParam("offset", offset);
			}
			URI uri = builder.encode().buildAndExpand(devboxId, executionId).toUri();
			ServerSentEventDecoder decoder = new ServerSentEventDecoder(MAX_EVENT_LINE);
			AtomicBoolean dedupe = new AtomicBoolean(reopened);
			return call(this.http.get(uri), operation).header(HttpHeaders.ACCEPT, "text/event-stream")
				.timeout(STREAM_SILENCE)
				.stream()
				.flatMapMany((answer) -> answer.body())
				.concatMapIterable((buffer) -> {
					try {
						byte[] bytes = new byte[buffer.readableByteCount()];
						buffer.read(bytes);
						return decoder.decode(bytes, 0, bytes.length);
					}
					finally {
						DataBufferUtils.release(buffer);
					}
				})
				.<String>handle((event, sink) -> {
					if ("error".equals(event.event())) {
						sink.error(streamError(event.data(), operation));
						return;
					}
					OutputChunk chunk = readChunk(event.data(), operation);
					if (chunk.offset() != null) {
						boolean repeat = dedupe.getAndSet(false) && chunk.offset().equals(lastOffset.get());
						lastOffset.set(chunk.offset());
						if (repeat) {
							return;
						}
					}
					if (chunk.output() != null && !chunk.output().isEmpty()) {
						sink.next(chunk.output());
					}
				});
		}).onErrorResume(Executions::isReopenable,
				(error) -> openStream(devboxId, executionId, stream, operation, lastOffset, true));
	}

	private OutputChunk readChunk(String data, String operation) {
		try {
			return this.http.json().read(data.getBytes(StandardCharsets.UTF_8), OutputChunk.class);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.http.failures().malformedBody(operation, 200, String.valueOf(ex.getMessage()));
		}
	}

	/** An {@code error} event: JSON whose {@code code} is an HTTP status, mapped like an error answer. */
	private SandboxerException streamError(String data, String operation) {
		byte[] body = data.getBytes(StandardCharsets.UTF_8);
		int status = 500;
		try {
			StreamErrorCode code = this.http.json().read(body, StreamErrorCode.class);
			if (code.code() != null && code.code() >= 400 && code.code() <= 599) {
				status = code.code();
			}
		}
		catch (JsonCodec.MalformedJsonException ex) {
			// Not JSON: a 500 with the text as its excerpt, as the official client does.
		}
		return this.http.failures().fromResponse(operation, status, HttpHeaders.EMPTY, body);
	}

	/** Only the status of an error event; its message is read by the shared mapping. */
	record StreamErrorCode(@Nullable Integer code) {
	}

	private static void feed(CommandOutputCollector output, String text, boolean isStdout) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (isStdout) {
			output.stdout(bytes, 0, bytes.length);
		}
		else {
			output.stderr(bytes, 0, bytes.length);
		}
	}

	private static boolean isReopenable(Throwable error) {
		return error instanceof ProviderTimeoutException || isHoldElapsed(error);
	}

	private static boolean isHoldElapsed(Throwable error) {
		return error instanceof ProviderException provider && provider.status().orElse(0) == 408;
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

	private HttpCall call(HttpCall call, String operation) {
		return call.operation(operation).secretHeader(HttpHeaders.AUTHORIZATION, "Bearer " + this.apiKey);
	}

	private URI uri(String path, Object... variables) {
		return UriComponentsBuilder.fromUri(this.baseUrl).path(path).encode().buildAndExpand(variables).toUri();
	}

	private URI executionUri(String devboxId, String executionId, String suffix) {
		return uri("/v1/devboxes/{devbox}/executions/{execution}" + suffix, devboxId, executionId);
	}

	/** The command ran past its timeout; caught in {@link #follow} and never seen by a caller. */
	static final class CommandDeadline extends RuntimeException {

		CommandDeadline() {
			super("the command ran past its timeout", null, false, false);
		}

	}

	/** Drops the pid line {@link ShellCommand} puts first on stdout, however the stream cuts it. */
	private static final class PidLineFilter {

		private final boolean active;

		private boolean pending;

		PidLineFilter(boolean active) {
			this.active = active;
			this.pending = active;
		}

		synchronized String filter(String text) {
			if (!this.pending) {
				return text;
			}
			int newline = text.indexOf('\n');
			if (newline < 0) {
				return "";
			}
			this.pending = false;
			return text.substring(newline + 1);
		}

		/** The whole of a stdout kept by the execution itself, without its first line when that is the pid. */
		String strip(String text) {
			if (!this.active) {
				return text;
			}
			int newline = text.indexOf('\n');
			return (newline < 0) ? "" : text.substring(newline + 1);
		}

	}

}
