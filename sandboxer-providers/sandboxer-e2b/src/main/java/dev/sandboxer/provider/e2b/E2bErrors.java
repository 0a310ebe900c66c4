package dev.sandboxer.provider.e2b;

import java.util.Locale;

import dev.sandboxer.http.ErrorDetails;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorErrors;

/**
 * How E2B says what went wrong. The control plane answers its {@code Error} schema ({@code code} is the HTTP status
 * as a number, {@code error_code} the machine-readable code, {@code message}); envd's {@code /files} answers
 * {@code {message, code}}. A team at its concurrent-sandbox cap gets a 429 whose message says so ("you have
 * reached the maximum number of concurrent E2B sandboxes"): that is a quota, which waiting a second will not lift,
 * not a rate limit.
 */
final class E2bErrors implements VendorErrors {

	private final VendorErrors json;

	E2bErrors(JsonCodec json) {
		this.json = VendorErrors.json(json, "error_code");
	}

	@Override
	public ErrorDetails read(int status, byte[] body) {
		return this.json.read(status, body);
	}

	@Override
	public boolean isQuota(int status, ErrorDetails details) {
		String message = details.message();
		return status == 429 && message != null
				&& message.toLowerCase(Locale.ROOT).contains("maximum number of concurrent");
	}

}
