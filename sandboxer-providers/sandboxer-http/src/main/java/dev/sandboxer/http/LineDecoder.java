package dev.sandboxer.http;

import java.util.Arrays;

/**
 * Cuts a byte stream into lines as the bytes arrive, whatever the chunk boundaries: for newline-delimited answers
 * such as NDJSON ({@code application/x-ndjson}) and plain-text log streams. A line ends at {@code \n}; a {@code \r}
 * before it is dropped. Only the bytes of one unfinished line are kept between chunks, and a line longer than the
 * limit is refused rather than buffered without bound.
 * <p>
 * Not thread-safe: one decoder per stream, fed in order.
 */
public final class LineDecoder {

	/** Receives each complete line, without its line ending. The bytes are valid during the call only. */
	@FunctionalInterface
	public interface LineHandler {

		void onLine(byte[] line, int offset, int length);

	}

	/** A line grew past the decoder's limit before its end arrived. */
	public static final class LineTooLongException extends RuntimeException {

		LineTooLongException(int limit) {
			super("a line is longer than the limit of " + limit + " bytes", null, false, false);
		}

	}

	private final int maxLineBytes;

	private byte[] pending = new byte[256];

	private int pendingLength;

	public LineDecoder(int maxLineBytes) {
		if (maxLineBytes < 1) {
			throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
		}
		this.maxLineBytes = maxLineBytes;
	}

	/** Feeds one chunk; calls the handler for every line the chunk completes. */
	public void feed(byte[] chunk, int offset, int length, LineHandler handler) {
		int start = offset;
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (chunk[i] != '\n') {
				continue;
			}
			if (this.pendingLength == 0) {
				emit(chunk, start, i - start, handler);
			}
			else {
				append(chunk, start, i - start);
				emit(this.pending, 0, this.pendingLength, handler);
				this.pendingLength = 0;
			}
			start = i + 1;
		}
		append(chunk, start, end - start);
	}

	/** Ends the stream: bytes after the last line ending are handed over as a last line, if there are any. */
	public void finish(LineHandler handler) {
		if (this.pendingLength > 0) {
			int length = this.pendingLength;
			this.pendingLength = 0;
			emit(this.pending, 0, length, handler);
		}
	}

	private void emit(byte[] bytes, int offset, int length, LineHandler handler) {
		int trimmed = (length > 0 && bytes[offset + length - 1] == '\r') ? length - 1 : length;
		if (trimmed > this.maxLineBytes) {
			throw new LineTooLongException(this.maxLineBytes);
		}
		handler.onLine(bytes, offset, trimmed);
	}

	private void append(byte[] bytes, int offset, int length) {
		if (length == 0) {
			return;
		}
		int needed = this.pendingLength + length;
		if (needed > this.maxLineBytes + 1) {
			this.pendingLength = 0;
			throw new LineTooLongException(this.maxLineBytes);
		}
		if (needed > this.pending.length) {
			this.pending = Arrays.copyOf(this.pending, Math.max(needed, this.pending.length * 2));
		}
		System.arraycopy(bytes, offset, this.pending, this.pendingLength, length);
		this.pendingLength = needed;
	}

}
