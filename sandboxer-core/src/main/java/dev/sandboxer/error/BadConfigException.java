package dev.sandboxer.error;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The configuration cannot work: an unknown provider, a missing credential, a malformed URL or duration. The message
 * says what to set; it never contains a secret value.
 */
public class BadConfigException extends SandboxerException {

	private final @Nullable String property;

	public BadConfigException(String message) {
		this(null, null, message);
	}

	public BadConfigException(@Nullable String provider, @Nullable String property, String message) {
		super(provider, message, null);
		this.property = property;
	}

	/** The configuration key to fix, in kebab case ({@code api-key}, {@code base-url}), when one is to blame. */
	public Optional<String> property() {
		return Optional.ofNullable(this.property);
	}

}
