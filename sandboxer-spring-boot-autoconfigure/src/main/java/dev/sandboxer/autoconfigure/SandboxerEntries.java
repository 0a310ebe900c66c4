package dev.sandboxer.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.sandboxer.autoconfigure.SandboxerProperties.Provider;
import dev.sandboxer.autoconfigure.SandboxerProperties.Retry;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The entries of {@code sandboxer.providers} as they take effect: {@code local} alone when none is declared, the
 * default resolved, and each entry turned into a {@link ProviderConfig}. Every failure names the property to fix.
 */
final class SandboxerEntries {

	static final String PREFIX = "sandboxer";

	/** The entry used when the application declares none: Docker on this machine, which needs no credential. */
	static final String IMPLICIT_ENTRY = "local";

	private final SandboxerProperties properties;

	private final Map<String, Provider> entries;

	private final @Nullable String defaultName;

	SandboxerEntries(SandboxerProperties properties, Environment environment) {
		this.properties = properties;
		Map<String, Provider> declared = declaredEntries(properties, environment);
		this.entries = declared.isEmpty() ? Map.of(IMPLICIT_ENTRY, new Provider()) : declared;
		this.defaultName = resolveDefault(properties.getDefaultProvider(), this.entries);
	}

	/** Reads the entries straight from the environment, before the properties bean exists. */
	static SandboxerEntries bind(Environment environment) {
		return new SandboxerEntries(Binder.get(environment).bindOrCreate(PREFIX, SandboxerProperties.class),
				environment);
	}

	/**
	 * Every entry, including one that sets only keys of its provider's own ({@code local: image: ...}): those are not
	 * fields of {@link Provider}, so binding it alone would not make such an entry at all.
	 */
	private static Map<String, Provider> declaredEntries(SandboxerProperties properties, Environment environment) {
		Map<String, Provider> entries = new LinkedHashMap<>();
		Binder.get(environment)
			.bind(PREFIX + ".providers", Bindable.mapOf(String.class, Object.class))
			.ifBound((all) -> all.keySet()
				.forEach((name) -> entries.put(name, properties.getProviders().getOrDefault(name, new Provider()))));
		properties.getProviders().forEach(entries::putIfAbsent);
		return entries;
	}

	Map<String, Provider> entries() {
		return this.entries;
	}

	@Nullable String defaultName() {
		return this.defaultName;
	}

	/** The provider type of an entry: its {@code type}, else its name. */
	String type(String name) {
		String type = this.entries.get(name).getType();
		return (type != null && !type.isBlank()) ? type : name;
	}

	/**
	 * The settings of an entry.
	 * @param environment where providers read their environment variables ({@code E2B_API_KEY})
	 * @param providerSettings the entry's provider-specific values, by key (see {@link ProviderEntrySettings})
	 * @param customizers what else to hand the provider (its HTTP client's proxy and TLS, ...)
	 * @throws SandboxerPropertyException naming the property to fix
	 */
	ProviderConfig config(String name, Function<String, @Nullable String> environment,
			Map<String, String> providerSettings, List<ProviderConfigCustomizer> customizers) {
		Provider entry = this.entries.get(name);
		try {
			ProviderConfig.Builder builder = ProviderConfig.builder()
				.apiKey(entry.getApiKey())
				.baseUrl(entry.getBaseUrl())
				.retry(retry(name, entry.getRetry()))
				.environment(environment);
			if (entry.getDefaultTimeout() != null) {
				builder.defaultTimeout(entry.getDefaultTimeout());
			}
			providerSettings.forEach(builder::extra);
			if (entry.getCommandTimeout() != null) {
				builder.extra(ProviderSetting.COMMAND_TIMEOUT.key(), entry.getCommandTimeout().toString());
			}
			for (ProviderConfigCustomizer customizer : customizers) {
				customizer.customize(name, type(name), entry, builder);
			}
			return builder.build();
		}
		catch (BadConfigException ex) {
			throw translate(name, ex);
		}
	}

	/**
	 * The same failure, naming the full property: a factory knows the key ({@code api-key}), only this class knows
	 * under which entry it is written.
	 */
	SandboxerPropertyException translate(String name, BadConfigException ex) {
		if (ex instanceof SandboxerPropertyException already) {
			return already;
		}
		String key = ex.property().orElse(null);
		String property = (key != null) ? entryPrefix(name) + "." + key : entryPrefix(name);
		return new SandboxerPropertyException(ex.provider(), property,
				"Sandboxer provider '" + name + "' (type '" + type(name) + "'): " + withoutProvider(ex.getMessage(), type(name)));
	}

	/**
	 * The provider's message without its own mention of the provider type, which the prefix above already gives:
	 * "No API key for provider 'e2b': set ..." reads "No API key: set ...", "Provider 'x' needs 'y'" reads
	 * "Missing 'y'".
	 */
	private static String withoutProvider(String message, String type) {
		return message.replace(" for provider '" + type + "'", "").replace("Provider '" + type + "' needs ", "Missing ");
	}

	static String entryPrefix(String name) {
		return PREFIX + ".providers." + name;
	}

	private RetrySettings retry(String name, Retry own) {
		Retry shared = this.properties.getRetry();
		int maxAttempts = first(own.getMaxAttempts(), shared.getMaxAttempts(), RetrySettings.DEFAULT.maxAttempts());
		if (maxAttempts < 1) {
			String property = (own.getMaxAttempts() != null) ? entryPrefix(name) + ".retry.max-attempts"
					: PREFIX + ".retry.max-attempts";
			throw new SandboxerPropertyException(null, property,
					"'" + property + "' must be at least 1 (1 turns retries off), got " + maxAttempts);
		}
		Duration initial = first(own.getInitialBackoff(), shared.getInitialBackoff(),
				RetrySettings.DEFAULT.initialBackoff());
		Duration max = first(own.getMaxBackoff(), shared.getMaxBackoff(), RetrySettings.DEFAULT.maxBackoff());
		if (initial.isNegative() || max.isNegative()) {
			throw new SandboxerPropertyException(null, entryPrefix(name) + ".retry",
					"Retry backoffs of '" + name + "' must not be negative");
		}
		return new RetrySettings(maxAttempts, initial, max);
	}

	private static <T> T first(@Nullable T own, @Nullable T shared, T fallback) {
		return (own != null) ? own : Objects.requireNonNullElse(shared, fallback);
	}

	private static @Nullable String resolveDefault(@Nullable String configured, Map<String, Provider> entries) {
		if (configured != null && !configured.isBlank()) {
			if (!entries.containsKey(configured)) {
				throw new SandboxerPropertyException(null, PREFIX + ".default-provider", "'" + PREFIX
						+ ".default-provider' is '" + configured + "', which names no entry; entries: " + entries.keySet());
			}
			return configured;
		}
		return (entries.size() == 1) ? entries.keySet().iterator().next() : null;
	}

}
