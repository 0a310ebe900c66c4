package dev.sandboxer.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One setting a provider reads from its configuration, declared once in the provider's own module: its key, the
 * type of its value, its default, a one-line description and the environment variables it falls back to.
 * <p>
 * The declarations serve three readers: the provider, which reads its values through
 * {@link ProviderConfig#value(ProviderSetting)}; the Spring Boot starter, which binds
 * {@code sandboxer.providers.<name>.<key>} for the declared keys and rejects any other; and IDEs, through the
 * configuration metadata each provider module's build writes from them ({@link SettingsMetadataWriter}).
 *
 * @param key the kebab-case key, as written in {@code application.yml} ({@code envd-port})
 * @param type {@code String}, {@code Integer}, {@code Long}, {@code Boolean} or {@code Duration}
 * @param defaultValue the value used when neither the configuration nor the environment sets one, as text;
 * {@code null} when there is none
 * @param description one sentence for people and IDEs
 * @param environmentVariables read in order when the configuration does not set the key
 */
public record ProviderSetting(String key, Class<?> type, @Nullable String defaultValue, String description,
		List<String> environmentVariables) {

	private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

	private static final Set<Class<?>> TYPES = Set.of(String.class, Integer.class, Long.class, Boolean.class,
			Duration.class);

	/** The credential, which every HTTP provider reads; its value is never shown. */
	public static final String API_KEY = "api-key";

	/** The control-plane URL. */
	public static final String BASE_URL = "base-url";

	/**
	 * The timeout of a command whose request sets none, the same for every provider (the client faces apply it).
	 * A key every entry takes, like {@code default-timeout}: providers do not declare it.
	 */
	public static final ProviderSetting COMMAND_TIMEOUT = new ProviderSetting("command-timeout", Duration.class,
			"60s", "Timeout of a command whose request sets none; at it the command is killed and its result says "
					+ "timedOut.",
			List.of());

	public ProviderSetting {
		Objects.requireNonNull(key, "key");
		if (!KEBAB.matcher(key).matches()) {
			throw new IllegalArgumentException("A setting key is kebab-case, got '" + key + "'");
		}
		if (!TYPES.contains(type)) {
			throw new IllegalArgumentException("Setting '" + key + "' has type " + type + "; one of " + TYPES);
		}
		if (description == null || description.isBlank()) {
			throw new IllegalArgumentException("Setting '" + key + "' needs a description");
		}
		environmentVariables = List.copyOf(environmentVariables);
	}

	/** A text setting with no default and no environment variable; refine it with the {@code with...} methods. */
	public static ProviderSetting text(String key, String description) {
		return new ProviderSetting(key, String.class, null, description, List.of());
	}

	/** A setting of another type. */
	public static ProviderSetting of(String key, Class<?> type, String description) {
		return new ProviderSetting(key, type, null, description, List.of());
	}

	public ProviderSetting withDefault(Object value) {
		return new ProviderSetting(this.key, this.type, String.valueOf(value), this.description,
				this.environmentVariables);
	}

	public ProviderSetting withEnvironment(String... variables) {
		return new ProviderSetting(this.key, this.type, this.defaultValue, this.description, List.of(variables));
	}

	/** Whether the value is a credential, never to be printed. */
	public boolean secret() {
		return ConfigKeys.isSecret(this.key);
	}

}
