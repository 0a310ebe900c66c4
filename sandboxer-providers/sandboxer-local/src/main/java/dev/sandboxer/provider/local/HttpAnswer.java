package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 answer as the Engine sends it: the status and the whole body, read from a stream. The body is framed
 * by {@code Content-Length}, by chunks, or (without either) by the end of the stream, since requests ask for
 * {@code Connection: close}. Every part is bounded: a header block over {@value #MAX_HEADERS} bytes or a body over the
 * reader's limit fails the read rather than growing a buffer without end. An answer that breaks the protocol fails
 * with a {@link ProtocolException}; one cut short by the connection closing, with a plain {@link IOException}.
 *
 * @param status the HTTP status code
 * @param body the body's bytes, de-chunked
 * @param apiVersion the Engine's {@code Api-Version} header (the newest version it speaks), if it sent one
 */
record HttpAnswer(int status, byte[] body, @Nullable String apiVersion) {

	static final int MAX_HEADERS = 64 * 1024;

	/** The body as text (the Engine answers JSON or plain text, in UTF-8). */
	String text() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

	/** Reads one answer; {@code maxBody} bounds the body. A 1xx interim answer is skipped. */
	static HttpAnswer read(InputStream in, int maxBody) throws IOException {
		Head head;
		do {
			head = readHead(in);
		}
		while (head.status >= 100 && head.status < 200);
		return readBody(head, in, maxBody);
	}

	/**
	 * Reads the head of the answer to an upgrade request. Answers {@code null} when the connection now carries the
	 * raw stream (101, or 200 from an Engine that hijacks without the upgrade handshake), the stream then being
	 * whatever {@code in} reads next; else the answer, whole (a 4xx or 5xx that says why).
	 */
	static @Nullable HttpAnswer readUpgrade(InputStream in, int maxBody) throws IOException {
		Head head = readHead(in);
		if (head.status == 101 || head.status == 200) {
			return null;
		}
		return readBody(head, in, maxBody);
	}

	private static HttpAnswer readBody(Head head, InputStream in, int maxBody) throws IOException {
		byte[] body;
		if (head.status == 204 || head.status == 304) {
			body = new byte[0];
		}
		else if (head.chunked) {
			body = readChunked(in, maxBody);
		}
		else if (head.contentLength >= 0) {
			if (head.contentLength > maxBody) {
				throw new ProtocolException("The Docker Engine's answer is " + head.contentLength + " bytes, over the "
						+ maxBody + " this call reads");
			}
			body = readExactly(in, (int) head.contentLength);
		}
		else {
			body = readToEnd(in, maxBody);
		}
		return new HttpAnswer(head.status, body, head.apiVersion);
	}

	private static Head readHead(InputStream in) throws IOException {
		String statusLine = readLine(in, new int[] { MAX_HEADERS });
		int[] budget = { MAX_HEADERS - statusLine.length() };
		// "HTTP/1.1 201 Created"
		if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
			throw new ProtocolException("Not an HTTP answer from the Docker Engine: '" + printable(statusLine) + "'");
		}
		int status;
		try {
			status = Integer.parseInt(statusLine.substring(9, 12));
		}
		catch (NumberFormatException ex) {
			throw new ProtocolException("Not an HTTP status from the Docker Engine: '" + printable(statusLine) + "'");
		}
		long contentLength = -1;
		boolean chunked = false;
		String apiVersion = null;
		for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).strip();
			if (name.equals("content-length")) {
				try {
					contentLength = Long.parseLong(value);
				}
				catch (NumberFormatException ex) {
					throw new ProtocolException("Unreadable Content-Length from the Docker Engine: '" + printable(value) + "'");
				}
			}
			else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
				chunked = true;
			}
			else if (name.equals("api-version")) {
				apiVersion = value;
			}
		}
		return new Head(status, contentLength, chunked, apiVersion);
	}

	private static byte[] readChunked(InputStream in, int maxBody) throws IOException {
		BoundedBytes body = new BoundedBytes(maxBody);
		int[] budget = { MAX_HEADERS };
		while (true) {
			String sizeLine = readLine(in, budget);
			int semicolon = sizeLine.indexOf(';');
			String hex = ((semicolon >= 0) ? sizeLine.substring(0, semicolon) : sizeLine).strip();
			int size;
			try {
				size = Integer.parseInt(hex, 16);
			}
			catch (NumberFormatException ex) {
				throw new ProtocolException("Unreadable chunk size from the Docker Engine: '" + printable(sizeLine) + "'");
			}
			if (size < 0) {
				throw new ProtocolException("Negative chunk size from the Docker Engine");
			}
			if (size == 0) {
				// Trailers, if any, end with an empty line.
				for (String trailer = readLine(in, budget); !trailer.isEmpty(); trailer = readLine(in, budget)) {
					// Ignored.
				}
				return body.toArray();
			}
			body.add(readExactly(in, body.checkRoom(size)));
			if (!readLine(in, budget).isEmpty()) {
				throw new ProtocolException("A chunk from the Docker Engine did not end where its size said");
			}
		}
	}

	private static byte[] readExactly(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw new IOException("The Docker Engine closed the connection after " + bytes.length + " of " + length
					+ " bytes of its answer");
		}
		return bytes;
	}

	private static byte[] readToEnd(InputStream in, int maxBody) throws IOException {
		byte[] bytes = in.readNBytes(maxBody + 1);
		if (bytes.length > maxBody) {
			throw new ProtocolException("The Docker Engine's answer is over the " + maxBody + " bytes this call reads");
		}
		return bytes;
	}

	/** A line up to CRLF (or a bare LF), in ISO-8859-1 as HTTP heads are; {@code budget[0]} bounds all lines. */
	private static String readLine(InputStream in, int[] budget) throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("The Docker Engine closed the connection in the middle of its answer's head");
			}
			if (--budget[0] < 0) {
				throw new ProtocolException("The Docker Engine's answer head is over " + MAX_HEADERS + " bytes");
			}
			if (b == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			line.append((char) b);
		}
	}

	private static String printable(String text) {
		String cut = (text.length() > 80) ? text.substring(0, 80) + "…" : text;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}

	private record Head(int status, long contentLength, boolean chunked, @Nullable String apiVersion) {

	}

	/** A growing byte buffer that refuses to pass its limit. */
	private static final class BoundedBytes {

		private final int limit;

		private byte[] bytes = new byte[256];

		private int size;

		BoundedBytes(int limit) {
			this.limit = limit;
		}

		int checkRoom(int more) throws IOException {
			if (more > this.limit - this.size) {
				throw new ProtocolException("The Docker Engine's answer is over the " + this.limit + " bytes this call reads");
			}
			return more;
		}

		void add(byte[] more) {
			if (this.size + more.length > this.bytes.length) {
				this.bytes = java.util.Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + more.length));
			}
			System.arraycopy(more, 0, this.bytes, this.size, more.length);
			this.size += more.length;
		}

		byte[] toArray() {
			return java.util.Arrays.copyOf(this.bytes, this.size);
		}

	}

}
