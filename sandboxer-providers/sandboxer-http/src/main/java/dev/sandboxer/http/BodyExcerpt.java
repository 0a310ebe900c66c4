package dev.sandboxer.http;

import java.nio.charset.StandardCharsets;

/** A short, single-line, redacted piece of a vendor's answer, for exception messages. */
final class BodyExcerpt {

	static final int MAX_CHARS = 200;

	/** Read before truncating, so that a secret the body echoes is masked whole before it is cut. */
	private static final int WINDOW_BYTES = 4096;

	private BodyExcerpt() {
	}

	static String of(byte[] body, Redactor redactor) {
		if (body.length == 0) {
			return "(empty body)";
		}
		String text = new String(body, 0, Math.min(body.length, WINDOW_BYTES), StandardCharsets.UTF_8);
		String redacted = String.valueOf(redactor.redact(text));
		StringBuilder line = new StringBuilder(Math.min(redacted.length(), MAX_CHARS + 1));
		boolean lastWasSpace = false;
		for (int i = 0; i < redacted.length() && line.length() < MAX_CHARS; i++) {
			char c = redacted.charAt(i);
			boolean space = Character.isWhitespace(c) || Character.isISOControl(c);
			if (!space || !lastWasSpace) {
				line.append(space ? ' ' : c);
			}
			lastWasSpace = space;
		}
		boolean cut = line.length() >= MAX_CHARS && (redacted.length() > MAX_CHARS || body.length > WINDOW_BYTES);
		return line.toString().strip() + (cut ? "…" : "");
	}

}
