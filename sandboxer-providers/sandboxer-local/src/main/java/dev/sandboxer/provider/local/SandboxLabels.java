package dev.sandboxer.provider.local;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

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

	/**
	 * Where the sandbox's {@link LifetimeKeeper} reads a moved deadline; its presence says the deadline can move
	 * (sandboxes made before that have none).
	 */
	static final String DEADLINE_FILE = "sandboxer.deadline-file";

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
		labels.put(DEADLINE_FILE, LifetimeKeeper.DEADLINE_FILE);
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
		return parsed(labels, EXPIRES_AT, Instant::parse);
	}

	static @Nullable String deadlineFile(@Nullable Map<String, String> labels) {
		return (labels != null) ? labels.get(DEADLINE_FILE) : null;
	}

	static @Nullable Integer number(@Nullable Map<String, String> labels, String label) {
		return parsed(labels, label, Integer::valueOf);
	}

	/** A label's value read as a type; {@code null} when it is absent or was edited into something unreadable. */
	private static <T> @Nullable T parsed(@Nullable Map<String, String> labels, String label,
			Function<String, T> parser) {
		String value = (labels != null) ? labels.get(label) : null;
		if (value == null) {
			return null;
		}
		try {
			return parser.apply(value);
		}
		catch (RuntimeException ex) {
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
