package dev.sandboxer.error;

import org.jspecify.annotations.Nullable;

/**
 * Base of every failure Sandboxer reports. Unchecked, so a caller catches only what it can handle; every
 * failure a user can meet is one of its subclasses, never a transport or JSON library exception.
 */
public class SandboxerException extends RuntimeException {

	private final @Nullable String provider;

	/** Set once, by the client that reported the failure: which configured entry ({@code e2b-eu}) it came from. */
	private volatile @Nullable String entry;

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

	/**
	 * The name of the configured provider entry that reported this failure ({@code e2b-eu} for an entry of type
	 * {@code e2b}), or {@code null} when it did not pass through a client.
	 */
	public @Nullable String entry() {
		return this.entry;
	}

	/**
	 * Records the entry that reported this failure, once; later calls change nothing. The client faces call it, so
	 * that two entries of one type ({@code e2b}, {@code e2b-eu}) can be told apart.
	 */
	public SandboxerException reportedBy(String entry) {
		if (this.entry == null) {
			this.entry = entry;
		}
		return this;
	}

	/** The message, followed by the entry's name when it is not the provider type's own. */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		String reporter = this.entry;
		if (reporter == null || reporter.equals(this.provider)) {
			return message;
		}
		return message + " [provider entry '" + reporter + "']";
	}

}
