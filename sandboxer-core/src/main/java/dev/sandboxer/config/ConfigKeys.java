package dev.sandboxer.config;

import java.util.Locale;

/**
 * Turns the many spellings of a key ({@code envd_domain}, {@code envd-domain}, {@code envdDomain},
 * {@code ENVD_DOMAIN}) into one, so a key from a Python-style map, YAML or code finds the same setting.
 */
final class ConfigKeys {

	private ConfigKeys() {
	}

	/** The camelCase form of a key. */
	static String canonical(String key) {
		String stripped = key.strip();
		if (stripped.indexOf('-') < 0 && stripped.indexOf('_') < 0) {
			return stripped.equals(stripped.toUpperCase(Locale.ROOT)) ? stripped.toLowerCase(Locale.ROOT) : stripped;
		}
		StringBuilder out = new StringBuilder(stripped.length());
		boolean upperNext = false;
		for (char c : stripped.toCharArray()) {
			if (c == '-' || c == '_') {
				upperNext = out.length() > 0;
			}
			else {
				out.append(upperNext ? Character.toUpperCase(c) : Character.toLowerCase(c));
				upperNext = false;
			}
		}
		return out.toString();
	}

	/** The kebab-case form Spring Boot users write in {@code application.yml}, for messages. */
	static String kebab(String key) {
		String camel = canonical(key);
		StringBuilder out = new StringBuilder(camel.length() + 4);
		for (char c : camel.toCharArray()) {
			if (Character.isUpperCase(c)) {
				out.append('-').append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	/** Whether a key names a credential, whose value must never be printed. */
	static boolean isSecret(String key) {
		String lower = canonical(key).toLowerCase(Locale.ROOT);
		return lower.contains("key") || lower.contains("token") || lower.contains("secret")
				|| lower.contains("password") || lower.contains("credential");
	}

}
