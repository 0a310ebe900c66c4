package dev.sandboxer.provider.blaxel;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes text as one URL path segment: every byte but RFC 3986's unreserved characters is escaped, the
 * slash included. sandbox-api reads a file path whose slashes arrive as {@code %2F} as written (absolute), and one
 * with bare slashes as relative to its working directory, so a file path is always sent this way.
 */
final class PathSegment {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private PathSegment() {
	}

	static String encode(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder(bytes.length + 16);
		for (byte b : bytes) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				out.append((char) c);
			}
			else {
				out.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0F]);
			}
		}
		return out.toString();
	}

}
