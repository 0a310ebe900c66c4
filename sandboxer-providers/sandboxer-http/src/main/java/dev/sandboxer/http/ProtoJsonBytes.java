package dev.sandboxer.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a proto3 {@code bytes} field from its JSON form, which the proto3 JSON mapping allows in standard or
 * URL-safe base64, with or without padding (Jackson's own reader takes only the standard alphabet). Also about
 * twice as fast as Jackson's reader on the large output chunks of a command, because the JDK's decoder does the
 * work. Use it with {@code @JsonDeserialize(using = ProtoJsonBytes.class)}.
 */
public final class ProtoJsonBytes extends ValueDeserializer<byte[]> {

	@Override
	public byte[] deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.VALUE_STRING)) {
			return (byte[]) context.handleUnexpectedToken(byte[].class, parser);
		}
		String text = parser.getString();
		// Base64 is ASCII: the JDK copies it to bytes and looks for the URL-safe letters with vectorised code.
		byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
		boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
		try {
			return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(ascii);
		}
		catch (IllegalArgumentException ex) {
			throw context.weirdStringException(text, byte[].class,
					"not base64 (" + ex.getMessage() + ")");
		}
	}

}
