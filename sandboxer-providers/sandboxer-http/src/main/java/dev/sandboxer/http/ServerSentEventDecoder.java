package dev.sandboxer.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Cuts a {@code text/event-stream} body into events as its bytes arrive, whatever the chunk boundaries, following
 * the WHATWG HTML "server-sent events" parsing rules: lines end with CR, LF or CRLF; {@code data} lines of one event
 * are joined with LF; {@code event} and {@code id} fields are kept; comment lines (starting with {@code :}) and
 * unknown fields are ignored; an empty line dispatches the event, and an event without data is dropped. Lines are
 * decoded as UTF-8 only once whole, so a character cut between two chunks is not broken.
 * <p>
 * Not thread-safe: one decoder per stream, fed in order. A line longer than the limit is refused, so a server that
 * never ends a line cannot make the decoder hold an unbounded amount of memory.
 */
public final class ServerSentEventDecoder {

	/** One dispatched event. {@code event} is {@code message} when the stream named none. */
	public record Event(String event, String data, @Nullable String id) {
	}

	/** A line was longer than the decoder accepts. */
	public static final class LineTooLongException extends RuntimeException {

		LineTooLongException(int limit) {
			super("an event-stream line is longer than the limit of " + limit + " bytes", null, false, false);
		}

	}

	private final int maxLineBytes;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	/** The previous chunk ended with CR: an LF that starts the next one belongs to it. */
	private boolean afterCarriageReturn;

	private @Nullable StringBuilder data;

	private @Nullable String event;

	private @Nullable String id;

	public ServerSentEventDecoder(int maxLineBytes) {
		this.maxLineBytes = maxLineBytes;
	}

	/** Feeds bytes; returns the events they completed, in order (often none). */
	public List<Event> decode(byte[] chunk, int offset, int length) {
		List<Event> events = new ArrayList<>(2);
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			byte b = chunk[i];
			if (this.afterCarriageReturn) {
				this.afterCarriageReturn = false;
				if (b == '\n') {
					continue;
				}
			}
			if (b == '\r' || b == '\n') {
				this.afterCarriageReturn = (b == '\r');
				endLine(events);
			}
			else {
				if (this.line.size() >= this.maxLineBytes) {
					throw new LineTooLongException(this.maxLineBytes);
				}
				this.line.write(b);
			}
		}
		return events;
	}

	/** Ends the stream: a last event not followed by an empty line is dropped, as the standard says. */
	public void finish() {
		this.line.reset();
		this.data = null;
		this.event = null;
	}

	private void endLine(List<Event> events) {
		String text = this.line.toString(StandardCharsets.UTF_8);
		this.line.reset();
		if (text.isEmpty()) {
			if (this.data != null) {
				events.add(new Event((this.event != null) ? this.event : "message", this.data.toString(), this.id));
			}
			this.data = null;
			this.event = null;
			return;
		}
		if (text.charAt(0) == ':') {
			return;
		}
		int colon = text.indexOf(':');
		String field = (colon < 0) ? text : text.substring(0, colon);
		String value = (colon < 0) ? "" : text.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (field) {
			case "data" -> {
				if (this.data == null) {
					this.data = new StringBuilder(value);
				}
				else {
					this.data.append('\n').append(value);
				}
			}
			case "event" -> this.event = value;
			case "id" -> {
				if (value.indexOf('\0') < 0) {
					this.id = value;
				}
			}
			default -> {
				// retry and unknown fields carry nothing a client of this toolkit acts on.
			}
		}
	}

}
