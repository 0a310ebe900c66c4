package dev.sandboxer.provider.runloop;

import dev.sandboxer.http.ErrorDetails;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorErrors;

/**
 * How Runloop says what went wrong. Its published client does not model error bodies (it keeps whatever JSON or text
 * came back), so this reads the usual JSON fields, {@code message} (or {@code error}) and a code from
 * {@code error_code}, {@code code} or {@code type}, and otherwise leaves an excerpt of the body to the shared mapping.
 */
final class RunloopErrors implements VendorErrors {

	private final VendorErrors json;

	RunloopErrors(JsonCodec json) {
		this.json = VendorErrors.json(json, "error_code", "code", "type");
	}

	@Override
	public ErrorDetails read(int status, byte[] body) {
		return this.json.read(status, body);
	}

}
