package dev.sandboxer.provider.local;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one output stream as UTF-8 while it arrives in chunks. A character whose bytes are split across two
 * chunks is held back until its last byte arrives, instead of being turned into two replacement characters as
 * decoding each chunk on its own would do. Bytes that are not UTF-8 at all become U+FFFD. Not thread-safe: one
 * instance per stream, fed in order.
 */
final class Utf8Chunks {

	private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPLACE)
		.onUnmappableCharacter(CodingErrorAction.REPLACE);

	/** At most three bytes of a character still waiting for the rest. */
	private final ByteBuffer pending = ByteBuffer.allocate(4);

	private final StringBuilder all = new StringBuilder();

	/** Decodes a chunk; returns the text it completes (possibly empty) and keeps it for {@link #text()}. */
	String decode(byte[] bytes, int length) {
		// A byte never makes more than one char; the held-back bytes add at most a few.
		CharBuffer out = CharBuffer.allocate(length + 8);
		int offset = 0;
		// First finish the character the previous chunk left open, one byte at a time.
		while (this.pending.position() > 0 && offset < length) {
			this.pending.put(bytes[offset++]);
			this.pending.flip();
			this.decoder.decode(this.pending, out, false);
			this.pending.compact();
		}
		ByteBuffer in = ByteBuffer.wrap(bytes, offset, length - offset);
		this.decoder.decode(in, out, false);
		this.pending.put(in);
		out.flip();
		String text = out.toString();
		this.all.append(text);
		return text;
	}

	/** Ends the stream: a character left incomplete becomes U+FFFD. Returns that last piece of text. */
	String finish() {
		CharBuffer out = CharBuffer.allocate(8);
		this.pending.flip();
		this.decoder.decode(this.pending, out, true);
		this.decoder.flush(out);
		this.pending.clear();
		out.flip();
		String text = out.toString();
		this.all.append(text);
		return text;
	}

	/** Everything decoded so far. */
	String text() {
		return this.all.toString();
	}

}
