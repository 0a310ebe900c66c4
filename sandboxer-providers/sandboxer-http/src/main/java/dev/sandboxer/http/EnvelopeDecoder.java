package dev.sandboxer.http;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Cuts a byte stream into Connect envelopes (one flags byte, a 4-byte big-endian length, the message) as the bytes
 * arrive, whatever the chunk boundaries: a chunk may end inside a header or a message, or hold many envelopes. Only
 * the bytes of one unfinished envelope are kept between chunks, so a stream of any length needs memory for its
 * largest message only, and a message larger than the limit is refused before it is buffered.
 * <p>
 * Not thread-safe: one decoder per stream, fed in order.
 */
public final class EnvelopeDecoder {

	/** The message is compressed with the stream's {@code Connect-Content-Encoding}. */
	public static final int FLAG_COMPRESSED = 0x01;

	/** The message is the stream's EndStreamResponse, its last message. */
	public static final int FLAG_END_STREAM = 0x02;

	static final int HEADER_BYTES = 5;

	/** Receives each complete envelope. The payload is a view of the decoder's buffer, valid during the call only. */
	@FunctionalInterface
	public interface EnvelopeHandler {

		void onEnvelope(int flags, byte[] payload, int offset, int length);

	}

	/** An envelope announced a message larger than the decoder accepts. */
	public static final class FrameTooLargeException extends RuntimeException {

		FrameTooLargeException(long length, int limit) {
			super("a message of " + length + " bytes is larger than the limit of " + limit + " bytes", null, false,
					false);
		}

	}

	private final int maxMessageBytes;

	private byte[] buffer = new byte[8192];

	private int start;

	private int end;

	public EnvelopeDecoder(int maxMessageBytes) {
		if (maxMessageBytes <= 0) {
			throw new IllegalArgumentException("The message size limit must be positive, got " + maxMessageBytes);
		}
		this.maxMessageBytes = maxMessageBytes;
	}

	/** Reads a chunk (without releasing it) and hands every envelope it completes to the handler, in order. */
	public void feed(DataBuffer chunk, EnvelopeHandler handler) {
		int length = chunk.readableByteCount();
		makeRoom(length);
		chunk.read(this.buffer, this.end, length);
		this.end += length;
		drain(handler);
	}

	public void feed(byte[] chunk, int offset, int length, EnvelopeHandler handler) {
		makeRoom(length);
		System.arraycopy(chunk, offset, this.buffer, this.end, length);
		this.end += length;
		drain(handler);
	}

	/** Whether bytes of an unfinished envelope are waiting for the rest. */
	public boolean hasPartialEnvelope() {
		return this.end > this.start;
	}

	private void drain(EnvelopeHandler handler) {
		while (this.end - this.start >= HEADER_BYTES) {
			long length = ((this.buffer[this.start + 1] & 0xFFL) << 24) | ((this.buffer[this.start + 2] & 0xFFL) << 16)
					| ((this.buffer[this.start + 3] & 0xFFL) << 8) | (this.buffer[this.start + 4] & 0xFFL);
			if (length > this.maxMessageBytes) {
				throw new FrameTooLargeException(length, this.maxMessageBytes);
			}
			int total = HEADER_BYTES + (int) length;
			if (this.end - this.start < total) {
				makeRoom(total - (this.end - this.start));
				return;
			}
			int flags = this.buffer[this.start] & 0xFF;
			int payloadStart = this.start + HEADER_BYTES;
			this.start += total;
			handler.onEnvelope(flags, this.buffer, payloadStart, (int) length);
		}
		if (this.start == this.end) {
			this.start = 0;
			this.end = 0;
		}
	}

	/** Makes space for {@code extra} more bytes after the pending ones, moving them to the front first. */
	private void makeRoom(int extra) {
		int pending = this.end - this.start;
		if (this.end + extra <= this.buffer.length) {
			return;
		}
		if (pending + extra <= this.buffer.length) {
			System.arraycopy(this.buffer, this.start, this.buffer, 0, pending);
		}
		else {
			byte[] larger = new byte[Math.max(this.buffer.length * 2, pending + extra)];
			System.arraycopy(this.buffer, this.start, larger, 0, pending);
			this.buffer = larger;
		}
		this.start = 0;
		this.end = pending;
	}

	/** Frames one message, for requests. */
	public static byte[] envelope(int flags, byte[] message) {
		byte[] framed = new byte[HEADER_BYTES + message.length];
		framed[0] = (byte) flags;
		framed[1] = (byte) (message.length >>> 24);
		framed[2] = (byte) (message.length >>> 16);
		framed[3] = (byte) (message.length >>> 8);
		framed[4] = (byte) message.length;
		System.arraycopy(message, 0, framed, HEADER_BYTES, message.length);
		return framed;
	}

}
