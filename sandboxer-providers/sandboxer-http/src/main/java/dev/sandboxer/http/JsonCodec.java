package dev.sandboxer.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of a provider: records in, records out. Unknown fields are ignored (vendors add fields) and
 * {@code null} fields are left out of requests (vendors read an absent field as "use the default", not always a
 * {@code null}). A body that does not read gives a {@link MalformedJsonException}, which {@link HttpCall} and
 * {@link ConnectClient} turn into a typed error; no Jackson exception leaves this class.
 */
public final class JsonCodec {

	private final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	public byte[] write(Object value) {
		return this.mapper.writeValueAsBytes(value);
	}

	public <T> T read(byte[] bytes, Class<T> type) {
		return read(bytes, 0, bytes.length, type);
	}

	/** @throws MalformedJsonException if the bytes are not JSON of that shape */
	public <T> T read(byte[] bytes, int offset, int length, Class<T> type) {
		T value;
		try {
			value = this.mapper.readValue(bytes, offset, length, type);
		}
		catch (JacksonException ex) {
			// Jackson's own exception is not chained: its description is kept, its type stays inside.
			throw new MalformedJsonException(type, ex.getOriginalMessage());
		}
		if (value == null) {
			throw new MalformedJsonException(type, "the body is the JSON literal null");
		}
		return value;
	}

	/** Reads {@code message} and the first present code field of a JSON error object; never throws. */
	ErrorDetails errorDetails(byte[] body, String... codeFields) {
		if (body.length == 0) {
			return ErrorDetails.NONE;
		}
		try {
			JsonNode node = this.mapper.readTree(body);
			if (node == null || !node.isObject()) {
				return ErrorDetails.NONE;
			}
			String code = null;
			for (String field : codeFields) {
				code = text(node.get(field));
				if (code != null) {
					break;
				}
			}
			String message = text(node.get("message"));
			if (message == null && node.get("error") != null) {
				JsonNode error = node.get("error");
				message = error.isObject() ? text(error.get("message")) : text(error);
			}
			return new ErrorDetails(code, message);
		}
		catch (JacksonException ex) {
			return ErrorDetails.NONE;
		}
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isContainer()) {
			return null;
		}
		String text = node.asString();
		return (text == null || text.isBlank()) ? null : text;
	}

	/** A body that is not the JSON that was expected. Its message names the expected type and what was wrong. */
	public static final class MalformedJsonException extends RuntimeException {

		MalformedJsonException(Class<?> expected, @Nullable String problem) {
			super("not a valid " + expected.getSimpleName() + ": " + problem, null, false, false);
		}

	}

}
