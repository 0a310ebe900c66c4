package dev.sandboxer.spi;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 text that arrives in chunks cut anywhere, even inside a character: the bytes of an unfinished
 * character wait for the next chunk instead of becoming two replacement characters. Bytes that are not UTF-8 become
 * U+FFFD. Not thread-safe: one decoder per stream.
 */
final class Utf8ChunkDecoder {

	private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPLACE)
		.onUnmappableCharacter(CodingErrorAction.REPLACE);

	/** At most three bytes: the start of a character whose end has not arrived. */
	private final byte[] carry = new byte[4];

	private int carried;

	/** The text the chunk completes; empty when it only holds the start of a character. */
	String decode(byte[] chunk) {
		return decode(chunk, 0, chunk.length);
	}

	String decode(byte[] chunk, int offset, int length) {
		ByteBuffer in;
		if (this.carried == 0) {
			in = ByteBuffer.wrap(chunk, offset, length);
		}
		else {
			in = ByteBuffer.allocate(this.carried + length);
			in.put(this.carry, 0, this.carried).put(chunk, offset, length).flip();
		}
		CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
		this.decoder.decode(in, out, false);
		this.carried = in.remaining();
		in.get(this.carry, 0, this.carried);
		return out.flip().toString();
	}

	/** Ends the stream: a character left unfinished becomes U+FFFD. */
	String finish() {
		ByteBuffer in = ByteBuffer.wrap(this.carry, 0, this.carried);
		CharBuffer out = CharBuffer.allocate(this.carried + 2);
		this.decoder.decode(in, out, true);
		this.decoder.flush(out);
		this.carried = 0;
		this.decoder.reset();
		return out.flip().toString();
	}

}
