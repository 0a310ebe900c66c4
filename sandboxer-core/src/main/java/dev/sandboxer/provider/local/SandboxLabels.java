package dev.sandboxer.provider.local;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.model.CreateSandboxRequest;
import org.jspecify.annotations.Nullable;

/**
 * The container labels that make a container a sandbox and carry what {@code list} reports without asking the
 * Engine about each container.
 * <p>
 * <b>Metadata keys.</b> Each entry becomes {@code sandboxer.meta.<key>=<value>}. Keys are percent-encoded rather
 * than sanitised: every byte of the key's UTF-8 form outside {@code [A-Za-z0-9._~-]} is written {@code %XX}. Unlike
 * replacing such characters with {@code _}, which makes {@code a b} and {@code a_b} the same key, this reads back
 * exactly the key that was given, so metadata filters match what the user wrote. Values are stored as they are.
 */
final class SandboxLabels {

	static final String MANAGED = "sandboxer.managed";

	static final String PROVIDER = "sandboxer.provider";

	static final String META_PREFIX = "sandboxer.meta.";

	static final String EXPIRES_AT = "sandboxer.expires-at";

	static final String CPUS = "sandboxer.cpus";

	static final String MEMORY_MB = "sandboxer.memory-mb";

	private SandboxLabels() {
	}

	/** The labels of a new sandbox. */
	static Map<String, String> forCreate(CreateSandboxRequest request, @Nullable Instant expiresAt) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(MANAGED, "true");
		labels.put(PROVIDER, EngineErrors.PROVIDER);
		request.metadata().forEach((key, value) -> labels.put(META_PREFIX + encodeKey(key), value));
		if (expiresAt != null) {
			labels.put(EXPIRES_AT, expiresAt.toString());
		}
		if (request.cpus() != null) {
			labels.put(CPUS, request.cpus().toString());
		}
		if (request.memoryMb() != null) {
			labels.put(MEMORY_MB, request.memoryMb().toString());
		}
		return labels;
	}

	/** Whether a container carries the labels of a sandbox this provider made. */
	static boolean isSandbox(@Nullable Map<String, String> labels) {
		return labels != null && "true".equals(labels.get(MANAGED))
				&& EngineErrors.PROVIDER.equals(labels.get(PROVIDER));
	}

	/** The user's metadata, decoded from the labels. */
	static Map<String, String> metadata(@Nullable Map<String, String> labels) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (labels != null) {
			labels.forEach((key, value) -> {
				if (key.startsWith(META_PREFIX)) {
					metadata.put(decodeKey(key.substring(META_PREFIX.length())), value);
				}
			});
		}
		return metadata;
	}

	static @Nullable Instant expiresAt(@Nullable Map<String, String> labels) {
		String value = (labels != null) ? labels.get(EXPIRES_AT) : null;
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	static @Nullable Integer number(@Nullable Map<String, String> labels, String label) {
		String value = (labels != null) ? labels.get(label) : null;
		if (value == null) {
			return null;
		}
		try {
			return Integer.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static String encodeKey(String key) {
		return PercentEncoding.encode(key);
	}

	/** Decodes {@link #encodeKey}; a label written by someone else with a stray {@code %} is kept as it is. */
	static String decodeKey(String encoded) {
		return PercentEncoding.decode(encoded);
	}

}
