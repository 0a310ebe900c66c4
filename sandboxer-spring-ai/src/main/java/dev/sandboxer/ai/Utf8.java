package dev.sandboxer.ai;

/** Where UTF-8 text may be cut. */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * The longest prefix of {@code bytes[0, limit)} that does not end inside a character, so that a part of a file
	 * decodes without a replacement character at its end and the next part starts on a character.
	 */
	static int wholeCharacters(byte[] bytes, int limit) {
		int start = limit;
		// A character is at most 4 bytes: look back at most 3 for the first byte of the last one.
		while (start > 0 && limit - start < 4 && (bytes[start - 1] & 0xC0) == 0x80) {
			start--;
		}
		if (start == 0 || limit - start >= 4) {
			return limit;
		}
		int lead = bytes[start - 1] & 0xFF;
		int length = (lead >= 0xF0) ? 4 : (lead >= 0xE0) ? 3 : (lead >= 0xC0) ? 2 : 1;
		int available = limit - (start - 1);
		return (available < length) ? start - 1 : limit;
	}

}
