package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One stream of a session (stdout or stderr) for the command it runs: hands the command's bytes on as they arrive
 * and finds the markers of {@link SessionProtocol} in it. On stdout the command's bytes begin after its start marker;
 * what comes before it (a daemon an earlier command left writing to the stream) is dropped, as is what comes after
 * the end marker. Bytes that might be the beginning of a marker are held back until the next chunk says whether they
 * are; what is held back is never longer than a marker. Used by one thread at a time.
 */
final class MarkedStream {

	/** Where a command's bytes go. */
	@FunctionalInterface
	interface Sink {

		void accept(byte[] bytes, int offset, int length);

	}

	private static final byte END_BYTE = 1;

	/** An exit code is at most a few digits; anything longer after the prefix is no marker. */
	private static final int MAX_CODE = 16;

	private byte[] endPrefix = new byte[0];

	private byte @Nullable [] startMarker;

	private boolean started;

	private byte[] pending = new byte[0];

	private @Nullable String exit;

	/** Starts on a new command: its markers, nothing seen; {@code marksStart} for the stream the agent marks it on. */
	void reset(String id, boolean marksStart) {
		this.endPrefix = SessionProtocol.endPrefix(id);
		this.startMarker = marksStart ? SessionProtocol.start(id) : null;
		this.started = !marksStart;
		this.pending = new byte[0];
		this.exit = null;
	}

	/** The exit code marked ({@value SessionProtocol#NO_DIRECTORY} from the agent), once seen. */
	@Nullable String exit() {
		return this.exit;
	}

	/** The agent marked the command's start (always so on a stream without a start marker). */
	boolean started() {
		return this.started;
	}

	/** The end was marked: every byte of the command on this stream has been handed on. */
	boolean ended() {
		return this.exit != null;
	}

	void feed(byte[] data, int offset, int length, Sink sink) {
		if (this.exit != null) {
			return;
		}
		byte[] buffer = Arrays.copyOf(this.pending, this.pending.length + length);
		System.arraycopy(data, offset, buffer, this.pending.length, length);
		int start = 0;
		if (!this.started) {
			int at = indexOf(buffer, 0, this.startMarker);
			if (at < 0) {
				int held = partialSuffix(buffer, 0, this.startMarker);
				this.pending = Arrays.copyOfRange(buffer, buffer.length - held, buffer.length);
				return;
			}
			this.started = true;
			start = at + this.startMarker.length;
		}
		while (start < buffer.length) {
			int end = indexOf(buffer, start, this.endPrefix);
			if (end < 0) {
				int held = partialSuffix(buffer, start, this.endPrefix);
				sink.accept(buffer, start, buffer.length - held - start);
				this.pending = Arrays.copyOfRange(buffer, buffer.length - held, buffer.length);
				return;
			}
			sink.accept(buffer, start, end - start);
			int codeStart = end + this.endPrefix.length;
			int codeEnd = indexOf(buffer, codeStart, new byte[] { END_BYTE });
			if (codeEnd < 0 || codeEnd - codeStart > MAX_CODE) {
				if (codeEnd >= 0 || buffer.length - codeStart > MAX_CODE) {
					// Not a marker after all: the command's own bytes.
					sink.accept(buffer, end, 1);
					start = end + 1;
					continue;
				}
				this.pending = Arrays.copyOfRange(buffer, end, buffer.length);
				return;
			}
			this.exit = new String(buffer, codeStart, codeEnd - codeStart, StandardCharsets.US_ASCII);
			this.pending = new byte[0];
			return;
		}
		this.pending = new byte[0];
	}

	static int indexOf(byte[] buffer, int from, byte[] pattern) {
		outer: for (int i = from; i <= buffer.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (buffer[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** The length of the longest end of {@code buffer} (from {@code from}) that begins {@code pattern}. */
	static int partialSuffix(byte[] buffer, int from, byte[] pattern) {
		int longest = Math.min(pattern.length - 1, buffer.length - from);
		for (int n = longest; n > 0; n--) {
			if (Arrays.equals(buffer, buffer.length - n, buffer.length, pattern, 0, n)) {
				return n;
			}
		}
		return 0;
	}

}
