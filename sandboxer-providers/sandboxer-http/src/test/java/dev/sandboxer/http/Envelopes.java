package dev.sandboxer.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and reads Connect envelopes byte by byte, independently of the code under test: one flags byte, a 4-byte
 * big-endian length, the message (connectrpc.com/docs/protocol, "Streaming-Request"/"Streaming-Response").
 */
public final class Envelopes {

	private Envelopes() {
	}

	/** An ordinary message (flags 0x00). */
	public static byte[] message(String json) {
		return envelope(0x00, json);
	}

	/** The EndStreamResponse (flags 0x02). */
	public static byte[] endOfStream(String json) {
		return envelope(0x02, json);
	}

	public static byte[] envelope(int flags, String json) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(flags);
		out.write((payload.length >>> 24) & 0xFF);
		out.write((payload.length >>> 16) & 0xFF);
		out.write((payload.length >>> 8) & 0xFF);
		out.write(payload.length & 0xFF);
		out.writeBytes(payload);
		return out.toByteArray();
	}

	public static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** The messages of an enveloped body, as flags and JSON text; fails on a body that is not whole envelopes. */
	public static List<Envelope> read(byte[] body) {
		List<Envelope> envelopes = new ArrayList<>();
		int at = 0;
		while (at < body.length) {
			if (body.length - at < 5) {
				throw new AssertionError("A partial envelope header at byte " + at);
			}
			int flags = body[at] & 0xFF;
			int length = ((body[at + 1] & 0xFF) << 24) | ((body[at + 2] & 0xFF) << 16) | ((body[at + 3] & 0xFF) << 8)
					| (body[at + 4] & 0xFF);
			if (body.length - at - 5 < length) {
				throw new AssertionError("An envelope announces " + length + " bytes but fewer follow");
			}
			envelopes.add(new Envelope(flags, new String(body, at + 5, length, StandardCharsets.UTF_8)));
			at += 5 + length;
		}
		return envelopes;
	}

	/** One envelope as read back. */
	public record Envelope(int flags, String json) {
	}

}
