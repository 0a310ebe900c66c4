package dev.sandboxer.http;

import java.util.Base64;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a proto3 {@code bytes} field from its JSON form, which the proto3 JSON mapping allows in standard or
 * URL-safe base64, with or without padding (Jackson's own reader takes only the standard alphabet). Also about
 * twice as fast as Jackson's reader on the large output chunks of a command, because it decodes from the parser's
 * buffer with the JDK's decoder. Use it with {@code @JsonDeserialize(using = ProtoJsonBytes.class)}.
 */
public final class ProtoJsonBytes extends ValueDeserializer<byte[]> {

	@Override
	public byte[] deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.VALUE_STRING)) {
			return (byte[]) context.handleUnexpectedToken(byte[].class, parser);
		}
		char[] chars = parser.getStringCharacters();
		int offset = parser.getStringOffset();
		int length = parser.getStringLength();
		byte[] ascii = new byte[length];
		boolean urlSafe = false;
		for (int i = 0; i < length; i++) {
			char c = chars[offset + i];
			urlSafe |= (c == '-' || c == '_');
			ascii[i] = (byte) c;
		}
		try {
			return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(ascii);
		}
		catch (IllegalArgumentException ex) {
			throw context.weirdStringException(parser.getString(), byte[].class,
					"not base64 (" + ex.getMessage() + ")");
		}
	}

}
