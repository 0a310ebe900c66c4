package dev.sandboxer.model;

import java.time.Duration;
import java.util.Map;

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

	/**
	 * A copy of environment variables whose names every sandbox can take: not empty, without {@code =} or NUL
	 * (which would end or split the name), and no NUL in a value.
	 */
	static Map<String, String> requireEnvironment(Map<String, String> env) {
		Map<String, String> copy = Map.copyOf(env);
		copy.forEach((name, value) -> {
			if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
				throw new IllegalArgumentException(
						"An environment variable name is not empty and holds neither '=' nor NUL, got '" + name + "'");
			}
			if (value.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("The value of environment variable '" + name + "' holds a NUL");
			}
		});
		return copy;
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
