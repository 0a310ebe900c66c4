package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One stream of a session (stdout or stderr) for the command it runs: hands the command's bytes on as they arrive
 * and finds the end and idle markers of {@link SessionProtocol} in it. Bytes that might be the start of a marker are
 * held back until the next chunk says whether they are; what is held back is never longer than a marker. Bytes after
 * the end marker (a daemon the command left writing to the stream) are dropped. Used by one thread at a time.
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

	private byte[] idle = new byte[0];

	private byte[] pending = new byte[0];

	private @Nullable String exit;

	private boolean idleSeen;

	/** Starts on a new command: its markers, nothing seen. */
	void reset(String id) {
		this.endPrefix = SessionProtocol.endPrefix(id);
		this.idle = SessionProtocol.idle(id);
		this.pending = new byte[0];
		this.exit = null;
		this.idleSeen = false;
	}

	/** The exit code the wrapper marked ({@value SessionProtocol#NO_DIRECTORY} from the agent), once seen. */
	@Nullable String exit() {
		return this.exit;
	}

	boolean idleSeen() {
		return this.idleSeen;
	}

	void feed(byte[] data, int offset, int length, Sink sink) {
		if (this.idleSeen) {
			return;
		}
		byte[] buffer = Arrays.copyOf(this.pending, this.pending.length + length);
		System.arraycopy(data, offset, buffer, this.pending.length, length);
		int start = 0;
		while (start < buffer.length) {
			int end = (this.exit == null) ? indexOf(buffer, start, this.endPrefix) : -1;
			int idleAt = indexOf(buffer, start, this.idle);
			if (end >= 0 && (idleAt < 0 || end < idleAt)) {
				sink.accept(buffer, start, end - start);
				int codeStart = end + this.endPrefix.length;
				int codeEnd = indexOf(buffer, codeStart, new byte[] { END_BYTE });
				if (codeEnd < 0) {
					if (buffer.length - codeStart > MAX_CODE) {
						// Not a marker after all: the command's own bytes.
						sink.accept(buffer, end, 1);
						start = end + 1;
						continue;
					}
					this.pending = Arrays.copyOfRange(buffer, end, buffer.length);
					return;
				}
				this.exit = new String(buffer, codeStart, codeEnd - codeStart, StandardCharsets.US_ASCII);
				start = codeEnd + 1;
				continue;
			}
			if (idleAt >= 0) {
				if (this.exit == null) {
					sink.accept(buffer, start, idleAt - start);
				}
				this.idleSeen = true;
				this.pending = new byte[0];
				return;
			}
			int held = Math.max((this.exit == null) ? partialSuffix(buffer, start, this.endPrefix) : 0,
					partialSuffix(buffer, start, this.idle));
			if (this.exit == null) {
				sink.accept(buffer, start, buffer.length - held - start);
			}
			this.pending = Arrays.copyOfRange(buffer, buffer.length - held, buffer.length);
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
