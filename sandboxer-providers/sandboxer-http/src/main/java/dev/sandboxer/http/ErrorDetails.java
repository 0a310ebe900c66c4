package dev.sandboxer.http;

import org.jspecify.annotations.Nullable;

/**
 * What a vendor said about a failure, read from its error body.
 *
 * @param code the vendor's own error code ({@code sandbox_capacity_unavailable}, {@code not_found}), if it sent one
 * @param message its human-readable message, if it sent one
 */
public record ErrorDetails(@Nullable String code, @Nullable String message) {

	/** Nothing recognisable in the body. */
	public static final ErrorDetails NONE = new ErrorDetails(null, null);

}
