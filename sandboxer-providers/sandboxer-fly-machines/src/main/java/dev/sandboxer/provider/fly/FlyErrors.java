package dev.sandboxer.provider.fly;

import java.util.Locale;

import dev.sandboxer.http.ErrorDetails;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorErrors;

/**
 * How the Machines API says what went wrong: its {@code ErrorResponse} is {@code {"error": "...", "status":
 * "insufficient_capacity"}}, and fly-go also reads a {@code message} and prefers it when present. {@code status} is
 * the vendor's code; its value {@code unknown} says nothing and is dropped.
 */
final class FlyErrors implements VendorErrors {

	private final VendorErrors json;

	FlyErrors(JsonCodec json) {
		this.json = VendorErrors.json(json, "status");
	}

	@Override
	public ErrorDetails read(int status, byte[] body) {
		ErrorDetails details = this.json.read(status, body);
		String code = details.code();
		if (code != null && code.toLowerCase(Locale.ROOT).equals("unknown")) {
			return new ErrorDetails(null, details.message());
		}
		return details;
	}

}
