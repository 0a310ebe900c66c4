package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/**
 * Base of every failure Sandboxer reports. Unchecked, so a caller catches only what it can handle; every
 * failure a user can meet is one of its subclasses, never a transport or JSON library exception.
 */
public class SandboxerException extends RuntimeException {

	private final @Nullable String provider;

	public SandboxerException(String message) {
		this(null, message, null);
	}

	public SandboxerException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.provider = provider;
	}

	/** The provider type that failed ({@code e2b}, {@code local}, ...), or {@code null} when none was involved. */
	public @Nullable String provider() {
		return this.provider;
	}

}
