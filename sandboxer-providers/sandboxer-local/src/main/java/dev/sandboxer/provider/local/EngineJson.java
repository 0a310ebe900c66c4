package dev.sandboxer.provider.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads single text fields out of JSON (the Engine's answers, the Docker CLI's {@code config.json}) without a JSON
 * library: one pass over the text that skips everything but the path asked for. Jackson's object mapper is what the
 * fast create path exists to avoid, and even its streaming parser costs tens of milliseconds of class loading in a
 * fresh JVM for the three fields that path reads. Strict enough to refuse what is not JSON, and nesting is bounded
 * so that no input can exhaust the stack.
 */
final class EngineJson {

	private static final int MAX_DEPTH = 256;

	private final String text;

	private int at;

	private EngineJson(String text) {
		this.text = text;
	}

	/**
	 * The text at a path of object fields ({@code "Config", "WorkingDir"}), or {@code null} when any part is absent,
	 * {@code null} or not of the expected kind. When a field repeats, its last value counts.
	 * @throws IOException when the input is not JSON
	 */
	static @Nullable String text(byte[] json, String... path) throws IOException {
		EngineJson reader = new EngineJson(new String(json, StandardCharsets.UTF_8));
		String found = reader.value(path, 0, 0);
		reader.skipSpace();
		if (reader.at != reader.text.length()) {
			throw reader.error("text after the JSON value");
		}
		return found;
	}

	/**
	 * Reads one value; when {@code path} is not used up and the value is an object, answers what is found at the
	 * rest of the path inside it; when it is used up and the value is a string, answers the string.
	 */
	private @Nullable String value(String[] path, int matched, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw error("nesting deeper than " + MAX_DEPTH);
		}
		skipSpace();
		char c = peek();
		switch (c) {
			case '{' -> {
				return object(path, matched, depth);
			}
			case '[' -> {
				this.at++;
				skipSpace();
				if (peek() == ']') {
					this.at++;
					return null;
				}
				while (true) {
					value(path, path.length + 1, depth + 1);
					skipSpace();
					char next = next();
					if (next == ']') {
						return null;
					}
					if (next != ',') {
						throw error("',' or ']' expected");
					}
				}
			}
			case '"' -> {
				String value = string();
				return (matched == path.length) ? value : null;
			}
			default -> {
				literal();
				return null;
			}
		}
	}

	private @Nullable String object(String[] path, int matched, int depth) throws IOException {
		this.at++;
		String found = null;
		skipSpace();
		if (peek() == '}') {
			this.at++;
			return null;
		}
		while (true) {
			skipSpace();
			if (peek() != '"') {
				throw error("a field name expected");
			}
			String name = string();
			skipSpace();
			if (next() != ':') {
				throw error("':' expected");
			}
			boolean wanted = matched < path.length && path[matched].equals(name);
			String value = value(path, wanted ? matched + 1 : path.length + 1, depth + 1);
			if (wanted) {
				found = value;
			}
			skipSpace();
			char next = next();
			if (next == '}') {
				return found;
			}
			if (next != ',') {
				throw error("',' or '}' expected");
			}
		}
	}

	private String string() throws IOException {
		this.at++;
		StringBuilder out = null;
		int start = this.at;
		while (true) {
			char c = next();
			if (c == '"') {
				return (out == null) ? this.text.substring(start, this.at - 1) : out.toString();
			}
			if (c < 0x20) {
				throw error("a control character inside a string");
			}
			if (c == '\\') {
				if (out == null) {
					out = new StringBuilder(this.text.substring(start, this.at - 1));
				}
				char escaped = next();
				switch (escaped) {
					case '"', '\\', '/' -> out.append(escaped);
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'u' -> out.append(hex4());
					default -> throw error("an unknown escape");
				}
			}
			else if (out != null) {
				out.append(c);
			}
		}
	}

	private char hex4() throws IOException {
		if (this.at + 4 > this.text.length()) {
			throw error("a short \\u escape");
		}
		int value = 0;
		for (int i = 0; i < 4; i++) {
			int digit = Character.digit(this.text.charAt(this.at++), 16);
			if (digit < 0) {
				throw error("a bad \\u escape");
			}
			value = value * 16 + digit;
		}
		return (char) value;
	}

	/** A number, {@code true}, {@code false} or {@code null}: characters up to the next delimiter, checked. */
	private void literal() throws IOException {
		int start = this.at;
		while (this.at < this.text.length() && ",:]} \t\r\n".indexOf(this.text.charAt(this.at)) < 0) {
			this.at++;
		}
		String word = this.text.substring(start, this.at);
		if (!word.equals("true") && !word.equals("false") && !word.equals("null")
				&& !word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
			this.at = start;
			throw error("a value expected");
		}
	}

	private void skipSpace() {
		while (this.at < this.text.length() && " \t\r\n".indexOf(this.text.charAt(this.at)) >= 0) {
			this.at++;
		}
	}

	private char peek() throws IOException {
		if (this.at >= this.text.length()) {
			throw error("the text ends early");
		}
		return this.text.charAt(this.at);
	}

	private char next() throws IOException {
		char c = peek();
		this.at++;
		return c;
	}

	private IOException error(String what) {
		return new IOException("Not JSON: " + what + " at character " + this.at);
	}

}
