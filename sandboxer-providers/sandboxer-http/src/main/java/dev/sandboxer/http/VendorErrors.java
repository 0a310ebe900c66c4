package dev.sandboxer.http;

/**
 * The vendor-specific half of the error mapping: how to read a vendor's error body and which answers mean an
 * exhausted quota. {@link HttpFailures} does the rest the same way for every vendor.
 */
public interface VendorErrors {

	/**
	 * Reads the vendor's code and message from an error answer. Must not throw: a body that says nothing useful
	 * gives {@link ErrorDetails#NONE}.
	 */
	ErrorDetails read(int status, byte[] body);

	/**
	 * Whether an answer means the account ran out of something (concurrent sandboxes, credits). HTTP 402 always
	 * does; this adds the vendor's own signals, such as a 429 whose message names a concurrency cap.
	 */
	default boolean isQuota(int status, ErrorDetails details) {
		return false;
	}

	/** Reads {@code message} and the first present code field from a JSON object body. */
	static VendorErrors json(JsonCodec json, String... codeFields) {
		return (status, body) -> json.errorDetails(body, codeFields);
	}

}
