package dev.sandboxer.provider.e2b;

import java.time.Duration;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.http.Utf8ChunkDecoder;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.provider.e2b.EnvdJson.EndEvent;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEvent;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEventMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the events of one process stream (Start or Connect) into a {@link CommandResult}: the pid from the start
 * event, stdout and stderr decoded as UTF-8 across chunk boundaries and passed to the listener as they arrive, the
 * exit code from the end event. Not thread-safe: one stream feeds it, in order.
 */
final class CommandOutput {

	private static final Logger logger = LoggerFactory.getLogger(CommandOutput.class);

	private final CommandOutputListener listener;

	private final int maxChars;

	private final Utf8ChunkDecoder stdoutDecoder = new Utf8ChunkDecoder();

	private final Utf8ChunkDecoder stderrDecoder = new Utf8ChunkDecoder();

	private final StringBuilder stdout = new StringBuilder();

	private final StringBuilder stderr = new StringBuilder();

	private @Nullable Integer pid;

	private @Nullable EndEvent end;

	private boolean truncated;

	private boolean listenerFailed;

	/**
	 * @param maxChars how much of each stream to keep; more is passed to the listener but not kept (background
	 * commands nobody may wait for must not grow without bound)
	 */
	CommandOutput(CommandOutputListener listener, int maxChars) {
		this.listener = listener;
		this.maxChars = maxChars;
	}

	void accept(ProcessEventMessage message) {
		ProcessEvent event = message.event();
		if (event == null) {
			return;
		}
		if (event.start() != null) {
			this.pid = event.start().pid();
		}
		else if (event.data() != null) {
			if (event.data().stdout() != null) {
				stdout(this.stdoutDecoder.decode(event.data().stdout()));
			}
			if (event.data().stderr() != null) {
				stderr(this.stderrDecoder.decode(event.data().stderr()));
			}
		}
		else if (event.end() != null) {
			this.end = event.end();
		}
	}

	@Nullable Integer pid() {
		return this.pid;
	}

	boolean ended() {
		return this.end != null;
	}

	/** Whether the process ended by a signal rather than by exiting ({@code exited} is false). */
	boolean killedBySignal() {
		EndEvent ended = this.end;
		return ended != null && !Boolean.TRUE.equals(ended.exited());
	}

	/** The result of a process that ended; without an end event the exit code is -1 and {@code error} says why. */
	CommandResult result(long durationMs) {
		flush();
		EndEvent ended = this.end;
		if (ended == null) {
			return new CommandResult(this.stdout.toString(), this.stderr.toString(), -1, durationMs, false,
					"envd ended the stream without the command's end event");
		}
		int exitCode = (ended.exitCode() != null) ? ended.exitCode() : 0;
		return new CommandResult(this.stdout.toString(), this.stderr.toString(), exitCode, durationMs, false,
				note(ended.error()));
	}

	/** The result of a process killed at its timeout: what it wrote until then, exit code -1. */
	CommandResult timedOut(long durationMs, Duration timeout) {
		flush();
		return new CommandResult(this.stdout.toString(), this.stderr.toString(), -1, durationMs, true,
				note("the command ran past its timeout of " + timeout + " and was killed"));
	}

	private void flush() {
		stdout(this.stdoutDecoder.finish());
		stderr(this.stderrDecoder.finish());
	}

	private void stdout(String text) {
		if (!text.isEmpty()) {
			keep(this.stdout, text);
			notifyListener(text, true);
		}
	}

	private void stderr(String text) {
		if (!text.isEmpty()) {
			keep(this.stderr, text);
			notifyListener(text, false);
		}
	}

	private void keep(StringBuilder target, String text) {
		int room = this.maxChars - target.length();
		if (room >= text.length()) {
			target.append(text);
		}
		else {
			target.append(text, 0, Math.max(0, room));
			this.truncated = true;
		}
	}

	/** A listener that throws must not cut the stream: the command would keep running with nobody reading it. */
	private void notifyListener(String text, boolean isStdout) {
		try {
			if (isStdout) {
				this.listener.onStdout(text);
			}
			else {
				this.listener.onStderr(text);
			}
		}
		catch (RuntimeException ex) {
			if (!this.listenerFailed) {
				this.listenerFailed = true;
				logger.warn("The command output listener failed; output is still collected: {}", ex.toString());
			}
		}
	}

	private @Nullable String note(@Nullable String error) {
		String dropped = this.truncated ? "output beyond " + this.maxChars + " characters per stream was dropped"
				: null;
		if (error == null || error.isBlank()) {
			return dropped;
		}
		return (dropped == null) ? error : error + "; " + dropped;
	}

}
