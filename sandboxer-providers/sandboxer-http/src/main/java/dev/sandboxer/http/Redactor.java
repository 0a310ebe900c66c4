package dev.sandboxer.http;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in text before it reaches a log line, an exception message or a {@code toString()}. A provider
 * registers its API key at start and every token it learns later (a sandbox's access token, say); any text built
 * from a vendor's answer goes through {@link #redact} because answers sometimes echo what they were sent.
 * Thread-safe.
 */
public final class Redactor {

	/** What a secret is replaced with. */
	public static final String MASK = "****";

	/** Shorter values are not treated as secrets: masking "1" or "on" would mangle every message. */
	private static final int MIN_SECRET_LENGTH = 6;

	private final Set<String> secrets = ConcurrentHashMap.newKeySet();

	/** Adds a value to mask from now on; blank or very short values are ignored. */
	public void addSecret(@Nullable String secret) {
		if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
			this.secrets.add(secret.strip());
		}
	}

	/** The text with every registered secret masked; {@code null} stays {@code null}. */
	public @Nullable String redact(@Nullable String text) {
		if (text == null || text.isEmpty() || this.secrets.isEmpty()) {
			return text;
		}
		String result = text;
		// Longest first, so a secret that contains another is masked whole.
		List<String> ordered = this.secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
		for (String secret : ordered) {
			if (result.contains(secret)) {
				result = result.replace(secret, MASK);
			}
		}
		return result;
	}

	/** Never prints the secrets, only how many there are. */
	@Override
	public String toString() {
		return "Redactor[" + this.secrets.size() + " secret(s)]";
	}

}
