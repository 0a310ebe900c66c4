package dev.sandboxer.model;

import java.util.regex.Pattern;

/**
 * The type of a sandbox host, such as {@code e2b} or {@code local}. A value rather than an enum so that a third
 * party can add a provider with a jar (see {@code dev.sandboxer.spi.ProviderFactory}). The constants name the providers
 * this project ships, each in its own module; which of them a JVM can use is what
 * {@code dev.sandboxer.spi.ProviderRegistry#names()} finds on its class path.
 */
public record ProviderName(String id) {

	private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]*");

	public static final ProviderName E2B = new ProviderName("e2b");

	public static final ProviderName LOCAL = new ProviderName("local");

	public ProviderName {
		if (id == null || !VALID.matcher(id).matches()) {
			throw new IllegalArgumentException("A provider name is lower-case letters, digits and '-', got '" + id + "'");
		}
	}

	/** Parses a name, accepting any case and surrounding blanks ({@code " E2B "} is {@link #E2B}). */
	public static ProviderName of(String id) {
		if (id == null) {
			throw new IllegalArgumentException("A provider name is required");
		}
		return new ProviderName(id.strip().toLowerCase(java.util.Locale.ROOT));
	}

	// Written out rather than generated: a record's generated equals and hashCode bootstrap through invokedynamic,
	// whose first use costs ~10 ms in a fresh JVM, and looking a provider up by name is the first thing a client does.
	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof ProviderName name && this.id.equals(name.id));
	}

	@Override
	public int hashCode() {
		return this.id.hashCode();
	}

	@Override
	public String toString() {
		return this.id;
	}

}
