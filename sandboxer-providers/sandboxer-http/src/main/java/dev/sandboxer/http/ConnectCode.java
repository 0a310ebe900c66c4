package dev.sandboxer.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The error codes of the Connect protocol and the HTTP status each stands for, as the protocol reference lists them
 * (connectrpc.com/docs/protocol, "Error Codes" and "HTTP to Error Code").
 */
public enum ConnectCode {

	CANCELED(499), UNKNOWN(500), INVALID_ARGUMENT(400), DEADLINE_EXCEEDED(504), NOT_FOUND(404), ALREADY_EXISTS(409),
	PERMISSION_DENIED(403), RESOURCE_EXHAUSTED(429), FAILED_PRECONDITION(400), ABORTED(409), OUT_OF_RANGE(400),
	UNIMPLEMENTED(501), INTERNAL(500), UNAVAILABLE(503), DATA_LOSS(500), UNAUTHENTICATED(401);

	private final int httpStatus;

	ConnectCode(int httpStatus) {
		this.httpStatus = httpStatus;
	}

	/** The status a Connect server answers a unary call failing with this code. */
	public int httpStatus() {
		return this.httpStatus;
	}

	/** The name on the wire: {@code not_found}. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The code a wire name stands for; empty for anything the protocol does not define. */
	public static Optional<ConnectCode> fromWireName(String wireName) {
		for (ConnectCode code : values()) {
			if (code.wireName().equals(wireName)) {
				return Optional.of(code);
			}
		}
		return Optional.empty();
	}

	/** The code the protocol says a client infers from a non-200 status that came without a Connect error body. */
	public static ConnectCode inferFromHttpStatus(int status) {
		return switch (status) {
			case 400 -> INTERNAL;
			case 401 -> UNAUTHENTICATED;
			case 403 -> PERMISSION_DENIED;
			case 404 -> UNIMPLEMENTED;
			case 429, 502, 503, 504 -> UNAVAILABLE;
			default -> UNKNOWN;
		};
	}

}
