package dev.sandboxer.provider.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as URLs use it: every UTF-8 byte outside the unreserved characters {@code [A-Za-z0-9._~-]}
 * becomes {@code %XX}. Used for URL path segments and query values (so {@code +}, {@code &}, {@code #}, {@code %},
 * spaces and newlines in a file name reach the Engine as themselves) and for metadata label keys.
 */
final class PercentEncoding {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private PercentEncoding() {
	}

	/** Encodes every reserved character, {@code /} included. */
	static String encode(String value) {
		return encode(value, false);
	}

	/** Encodes a path for a query value, keeping its {@code /} readable. */
	static String encodePath(String value) {
		return encode(value, true);
	}

	private static String encode(String value, boolean keepSlash) {
		StringBuilder out = new StringBuilder(value.length() + 16);
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~' || (keepSlash && c == '/')) {
				out.append((char) c);
			}
			else {
				out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
		}
		return out.toString();
	}

	/** Decodes {@code %XX} sequences; a {@code %} not followed by two hex digits is kept as it is. */
	static String decode(String encoded) {
		if (encoded.indexOf('%') < 0) {
			return encoded;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
		int i = 0;
		while (i < encoded.length()) {
			if (encoded.charAt(i) == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0
					&& hex(encoded.charAt(i + 2)) >= 0) {
				bytes.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
				i += 3;
			}
			else {
				int codePoint = encoded.codePointAt(i);
				bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(codePoint);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return -1;
	}

}
