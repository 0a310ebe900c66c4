package dev.sandboxer.provider.blaxel;

import java.util.Map;

import dev.sandboxer.http.ErrorDetails;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorErrors;
import org.jspecify.annotations.Nullable;

/**
 * Reads Blaxel's three error bodies (see the spec notes):
 * <ul>
 * <li>the control plane's {@code _Error {code?: number, error: string, message?: string}}: {@code error} is the
 * kind, {@code message} the text;</li>
 * <li>create's {@code SandboxError {code: string, message: string, ...}} ({@code QUOTA_EXCEEDED} is a quota);</li>
 * <li>sandbox-api's {@code ErrorResponse {error: string}}: {@code error} is the text and there is no code.</li>
 * </ul>
 */
final class BlaxelErrors implements VendorErrors {

	private final JsonCodec json;

	BlaxelErrors(JsonCodec json) {
		this.json = json;
	}

	@Override
	public ErrorDetails read(int status, byte[] body) {
		if (body.length == 0 || body[0] != '{') {
			return ErrorDetails.NONE;
		}
		Map<?, ?> fields;
		try {
			fields = this.json.read(body, Map.class);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			return ErrorDetails.NONE;
		}
		String code = text(fields.get("code"));
		String error = text(fields.get("error"));
		String message = text(fields.get("message"));
		if (code != null && !isNumber(code)) {
			return new ErrorDetails(code, (message != null) ? message : error);
		}
		if (message != null) {
			return new ErrorDetails(error, message);
		}
		return new ErrorDetails(null, error);
	}

	@Override
	public boolean isQuota(int status, ErrorDetails details) {
		return details.code() != null && details.code().toUpperCase(java.util.Locale.ROOT).contains("QUOTA");
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value == null || value instanceof Map || value instanceof Iterable) {
			return null;
		}
		String text = String.valueOf(value);
		return text.isBlank() ? null : text;
	}

	private static boolean isNumber(String text) {
		return text.chars().allMatch(Character::isDigit);
	}

}
