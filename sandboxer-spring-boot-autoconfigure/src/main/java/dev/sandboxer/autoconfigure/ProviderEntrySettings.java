package dev.sandboxer.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.sandboxer.config.ProviderSetting;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads the provider-specific keys of one entry ({@code sandboxer.providers.<name>.<key>}) as its provider declares
 * them, each bound with Spring's relaxed rules to its declared type, and refuses a key the provider does not read,
 * so that a typo fails start-up instead of being ignored.
 * <p>
 * The keys every entry takes ({@code type}, {@code api-key}, {@code base-url}, {@code default-timeout},
 * {@code command-timeout}, {@code retry.*}, {@code ssl.bundle}, {@code proxy.*}) are bound by
 * {@link SandboxerProperties}, not here. A provider that declares no settings is handed
 * every other key as text, as it is written.
 */
final class ProviderEntrySettings {

	/** The first element of the keys {@link SandboxerProperties.Provider} binds, in Spring's uniform form. */
	private static final Set<String> COMMON = Set.of("type", "apikey", "baseurl", "defaulttimeout", "commandtimeout",
			"retry", "ssl", "proxy");

	private static final String COMMON_KEYS = "type, api-key, base-url, default-timeout, command-timeout, retry.*, "
			+ "ssl.bundle, proxy.*";

	private ProviderEntrySettings() {
	}

	/**
	 * @return the values that are set, by kebab-case key, as text a {@link dev.sandboxer.config.ProviderConfig}
	 * reads
	 * @throws SandboxerPropertyException naming the first key the provider does not read and listing those it does
	 */
	static Map<String, String> read(Environment environment, String entry, String type,
			List<ProviderSetting> declared) {
		ConfigurationPropertyName prefix = ConfigurationPropertyName.adapt(SandboxerEntries.entryPrefix(entry), '.');
		Binder binder = Binder.get(environment);
		Map<String, String> values = new LinkedHashMap<>();
		if (declared.isEmpty()) {
			for (ConfigurationPropertyName name : keysUnder(environment, prefix).keySet()) {
				if (!COMMON.contains(firstElement(name, prefix))) {
					String key = name.subName(prefix.getNumberOfElements()).toString();
					binder.bind(name, Bindable.of(String.class)).ifBound((value) -> values.put(key, value));
				}
			}
			return values;
		}
		Set<String> known = new LinkedHashSet<>(COMMON);
		declared.forEach((setting) -> known.add(uniform(setting.key())));
		keysUnder(environment, prefix).forEach((name, fromVariable) -> {
			if (!isKnown(name, prefix, fromVariable, known)) {
				throw unknownKey(name, type, declared);
			}
		});
		for (ProviderSetting setting : declared) {
			if (COMMON.contains(uniform(setting.key()))) {
				continue;
			}
			ConfigurationPropertyName name = prefix.append(setting.key());
			binder.bind(name, Bindable.of(setting.type()))
				.ifBound((value) -> values.put(setting.key(), String.valueOf(value)));
		}
		return values;
	}

	/**
	 * An environment variable has no dashes to tell words from levels: {@code SANDBOXER_PROVIDERS_E2B_ENVD_PORT}
	 * reaches Spring as {@code ...e2b.envd.port}, while the binder also finds it for {@code envd-port}. Its words
	 * are therefore read run together.
	 */
	private static boolean isKnown(ConfigurationPropertyName name, ConfigurationPropertyName prefix,
			boolean fromVariable, Set<String> known) {
		if (known.contains(firstElement(name, prefix))) {
			return true;
		}
		if (!fromVariable) {
			return false;
		}
		StringBuilder joined = new StringBuilder();
		for (int i = prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			joined.append(name.getElement(i, Form.UNIFORM));
		}
		return known.stream().anyMatch((key) -> joined.toString().startsWith(key));
	}

	/** The keys set under the prefix, each with whether it comes from an environment variable. */
	private static Map<ConfigurationPropertyName, Boolean> keysUnder(Environment environment,
			ConfigurationPropertyName prefix) {
		Map<ConfigurationPropertyName, Boolean> names = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				boolean fromVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				try (Stream<ConfigurationPropertyName> stream = iterable.stream()) {
					stream.filter(prefix::isAncestorOf).forEach((name) -> names.putIfAbsent(name, fromVariables));
				}
			}
		}
		return names;
	}

	private static String firstElement(ConfigurationPropertyName name, ConfigurationPropertyName prefix) {
		return name.getElement(prefix.getNumberOfElements(), Form.UNIFORM);
	}

	private static String uniform(String key) {
		return ConfigurationPropertyName.of(key).getElement(0, Form.UNIFORM);
	}

	private static SandboxerPropertyException unknownKey(ConfigurationPropertyName name, String type,
			List<ProviderSetting> declared) {
		String valid = declared.stream()
			.map(ProviderSetting::key)
			.filter((key) -> !COMMON.contains(uniform(key)))
			.collect(Collectors.joining(", "));
		return new SandboxerPropertyException(null, name.toString(), "'" + name + "' is not a setting of provider type '"
				+ type + "'. Its settings: " + COMMON_KEYS + ", " + valid,
				"Correct the spelling of '" + name + "' or remove it; the keys this provider reads are listed above.");
	}

}
