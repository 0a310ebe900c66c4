package dev.sandboxer.provider.e2b;

import java.time.Duration;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.provider.e2b.EnvdJson.EndEvent;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEvent;
import dev.sandboxer.provider.e2b.EnvdJson.ProcessEventMessage;
import dev.sandboxer.spi.CommandOutputCollector;
import org.jspecify.annotations.Nullable;

/**
 * Turns the events of one process stream (Start or Connect) into a {@link CommandResult}: the pid from the start
 * event, the output through a {@link CommandOutputCollector}, the exit code from the end event. Not thread-safe: one stream feeds it, in order.
 */
final class CommandOutput {

	private final CommandOutputCollector output;

	private final int maxChars;

	private @Nullable Integer pid;

	private @Nullable EndEvent end;

	/**
	 * @param maxChars how much of each stream to keep; more is passed to the listener but not kept (background
	 * commands nobody may wait for must not grow without bound)
	 */
	CommandOutput(CommandOutputListener listener, int maxChars) {
		this.output = new CommandOutputCollector(listener, maxChars);
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
			byte[] stdout = event.data().stdout();
			if (stdout != null) {
				this.output.stdout(stdout, 0, stdout.length);
			}
			byte[] stderr = event.data().stderr();
			if (stderr != null) {
				this.output.stderr(stderr, 0, stderr.length);
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
		this.output.finish();
		EndEvent ended = this.end;
		if (ended == null) {
			return this.output.result(-1, durationMs, false, "envd ended the stream without the command's end event");
		}
		int exitCode = (ended.exitCode() != null) ? ended.exitCode() : 0;
		return this.output.result(exitCode, durationMs, false, note(ended.error()));
	}

	/** The result of a process killed at its timeout: what it wrote until then, exit code -1. */
	CommandResult timedOut(long durationMs, Duration timeout) {
		this.output.finish();
		return this.output.result(-1, durationMs, true,
				note("the command ran past its timeout of " + timeout + " and was killed"));
	}

	private @Nullable String note(@Nullable String error) {
		String dropped = this.output.truncated()
				? "output beyond " + this.maxChars + " characters per stream was dropped" : null;
		if (error == null || error.isBlank()) {
			return dropped;
		}
		return (dropped == null) ? error : error + "; " + dropped;
	}

}
