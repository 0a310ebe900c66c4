package dev.sandboxer.autoconfigure;

import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * A Sandboxer property cannot work. {@link #property()} is its full name, such as
 * {@code sandboxer.providers.e2b.api-key}; the message says why without showing any secret.
 */
public class SandboxerPropertyException extends BadConfigException {

	SandboxerPropertyException(@Nullable String provider, String property, String message) {
		super(provider, property, message);
	}

}
