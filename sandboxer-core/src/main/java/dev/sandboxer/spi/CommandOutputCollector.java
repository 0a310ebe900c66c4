package dev.sandboxer.spi;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.model.CommandResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provider does with a command's output as it arrives: decodes stdout and stderr as UTF-8 without
 * breaking a character cut between two chunks, hands the text to the user's {@link CommandOutputListener}, and keeps
 * it, up to a cap, for the {@link CommandResult}.
 * <p>
 * A listener that throws does not cut the stream (the command would run on with nobody reading it): the failure is
 * logged once and the output is still kept. Thread-safe, so that a timer can {@link #finish()} while output arrives;
 * the listener is called under the collector's lock, in order.
 */
public final class CommandOutputCollector {

	private static final Logger logger = LoggerFactory.getLogger(CommandOutputCollector.class);

	private final CommandOutputListener listener;

	private final int maxChars;

	private final Stream stdout = new Stream();

	private final Stream stderr = new Stream();

	private boolean truncated;

	private boolean listenerFailed;

	/**
	 * Keeps up to {@link CommandResult#DEFAULT_MAX_OUTPUT_CHARS} characters of each stream; the listener still gets
	 * everything.
	 */
	public CommandOutputCollector(CommandOutputListener listener) {
		this(listener, CommandResult.DEFAULT_MAX_OUTPUT_CHARS);
	}

	/**
	 * @param maxChars how much of each stream to keep; more still reaches the listener (for commands nobody may wait
	 * for, whose output must not grow without bound)
	 */
	public CommandOutputCollector(CommandOutputListener listener, int maxChars) {
		this.listener = listener;
		this.maxChars = maxChars;
	}

	public synchronized void stdout(byte[] chunk, int offset, int length) {
		keep(this.stdout, this.stdout.decoder.decode(chunk, offset, length), true);
	}

	public synchronized void stderr(byte[] chunk, int offset, int length) {
		keep(this.stderr, this.stderr.decoder.decode(chunk, offset, length), false);
	}

	/** Ends both streams: a character left unfinished becomes U+FFFD. Further calls add nothing. */
	public synchronized void finish() {
		keep(this.stdout, this.stdout.decoder.finish(), true);
		keep(this.stderr, this.stderr.decoder.finish(), false);
	}

	public synchronized String stdout() {
		return this.stdout.kept.toString();
	}

	public synchronized String stderr() {
		return this.stderr.kept.toString();
	}

	/** Whether output beyond {@code maxChars} was dropped from what is kept. */
	public synchronized boolean truncated() {
		return this.truncated;
	}

	/** The result of the command with what was kept, {@code truncated} set when something was dropped. */
	public synchronized CommandResult result(int exitCode, long durationMs, boolean timedOut,
			@Nullable String error) {
		return new CommandResult(stdout(), stderr(), exitCode, durationMs, timedOut, error, this.truncated);
	}

	private void keep(Stream stream, String text, boolean isStdout) {
		if (text.isEmpty()) {
			return;
		}
		int room = this.maxChars - stream.kept.length();
		if (room >= text.length()) {
			stream.kept.append(text);
		}
		else {
			stream.kept.append(text, 0, Math.max(0, room));
			this.truncated = true;
		}
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
				logger.warn("A command output listener failed; the output is still collected: {}", ex.toString());
			}
		}
	}

	private static final class Stream {

		final Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();

		final StringBuilder kept = new StringBuilder();

	}

}
