package dev.sandboxer.http;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
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

	/** Secrets that matter only while their owner lives (a sandbox handle's access token), forgotten after it. */
	private final Map<Object, String> owned = Collections.synchronizedMap(new WeakHashMap<>());

	/** Adds a value to mask from now on; blank or very short values are ignored. */
	public void addSecret(@Nullable String secret) {
		if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
			this.secrets.add(secret.strip());
		}
	}

	/**
	 * Adds a value to mask for as long as {@code owner} is reachable: a token that belongs to one sandbox handle
	 * stops taking room once the handle is gone, so a client that attaches to sandboxes per request does not grow
	 * this set without bound. Blank or very short values are ignored.
	 */
	public void addSecret(Object owner, @Nullable String secret) {
		if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
			this.owned.put(owner, secret.strip());
		}
	}

	/** How many secrets are registered now, those of live owners included. */
	public int size() {
		synchronized (this.owned) {
			return this.secrets.size() + this.owned.size();
		}
	}

	/** The text with every registered secret masked; {@code null} stays {@code null}. */
	public @Nullable String redact(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		Set<String> all = new HashSet<>(this.secrets);
		synchronized (this.owned) {
			all.addAll(this.owned.values());
		}
		if (all.isEmpty()) {
			return text;
		}
		String result = text;
		// Longest first, so a secret that contains another is masked whole.
		List<String> ordered = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
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
		return "Redactor[" + size() + " secret(s)]";
	}

}
