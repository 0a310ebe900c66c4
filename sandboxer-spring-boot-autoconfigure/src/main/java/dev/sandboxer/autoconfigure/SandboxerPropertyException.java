package dev.sandboxer.autoconfigure;

import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * A Sandboxer property cannot work. {@link #property()} is its full name, such as
 * {@code sandboxer.providers.e2b.api-key}; the message says why without showing any secret.
 */
public class SandboxerPropertyException extends BadConfigException {

	private final @Nullable String action;

	public SandboxerPropertyException(@Nullable String provider, String property, String message) {
		this(provider, property, message, null);
	}

	SandboxerPropertyException(@Nullable String provider, String property, String message, @Nullable String action) {
		super(provider, property, message);
		this.action = action;
	}

	/** What to do about it, when it is more than reviewing the value. */
	@Nullable String action() {
		return this.action;
	}

}
