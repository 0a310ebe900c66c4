package dev.sandboxer.model;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Argument checks shared by the request records, so that each says the same thing the same way. */
final class Requests {

	private Requests() {
	}

	static String requireText(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		return value;
	}

	static void requirePositive(@Nullable Integer value, String name) {
		if (value != null && value <= 0) {
			throw new IllegalArgumentException(name + " must be positive, got " + value);
		}
	}

	static void requirePositive(@Nullable Duration value, String name) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new IllegalArgumentException(name + " must be positive, got " + value);
		}
	}

}
