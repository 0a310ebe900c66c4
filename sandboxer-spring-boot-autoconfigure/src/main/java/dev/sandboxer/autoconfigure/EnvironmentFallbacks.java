package dev.sandboxer.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.sandboxer.autoconfigure.SandboxerProperties.Provider;
import dev.sandboxer.config.ProviderSetting;
import org.jspecify.annotations.Nullable;

/**
 * Decides which environment variables ({@code E2B_API_KEY}, ...) may fill an entry's unset settings. A variable
 * names no entry, so it can only mean the one entry of its provider type: with a second entry of that type it would
 * silently give both the same account. It therefore backs an entry only when that entry is the only one of its type;
 * with several, a declared variable that is set while an entry leaves its key unset stops start-up, naming the
 * property to set instead.
 */
final class EnvironmentFallbacks {

	private EnvironmentFallbacks() {
	}

	/**
	 * The environment lookup one entry's provider reads.
	 * @param declared the settings the entry's provider declares, with their variables
	 * @param providerSettings the entry's own provider-specific values, by key
	 * @throws SandboxerPropertyException when a variable is set that would be ambiguous for this entry
	 */
	static Function<String, @Nullable String> forEntry(SandboxerEntries entries, String name,
			List<ProviderSetting> declared, Map<String, String> providerSettings,
			Function<String, @Nullable String> environment) {
		String type = entries.type(name);
		List<String> sameType = entries.entries().keySet().stream().filter((n) -> entries.type(n).equals(type)).toList();
		if (sameType.size() < 2) {
			return environment;
		}
		Set<String> withheld = new HashSet<>();
		Provider entry = entries.entries().get(name);
		for (ProviderSetting setting : declared) {
			withheld.addAll(setting.environmentVariables());
			if (isSet(entry, setting, providerSettings)) {
				continue;
			}
			for (String variable : setting.environmentVariables()) {
				String value = environment.apply(variable);
				if (value != null && !value.isBlank()) {
					throw ambiguous(name, type, sameType, setting.key(), variable);
				}
			}
		}
		return (variable) -> withheld.contains(variable) ? null : environment.apply(variable);
	}

	private static boolean isSet(Provider entry, ProviderSetting setting, Map<String, String> providerSettings) {
		String value = switch (setting.key()) {
			case ProviderSetting.API_KEY -> entry.getApiKey();
			case ProviderSetting.BASE_URL -> entry.getBaseUrl();
			default -> providerSettings.get(setting.key());
		};
		return value != null && !value.isBlank();
	}

	private static SandboxerPropertyException ambiguous(String name, String type, List<String> sameType, String key,
			String variable) {
		String property = SandboxerEntries.entryPrefix(name) + "." + key;
		return new SandboxerPropertyException(type, property,
				"The environment variable " + variable + " is set, but " + sameType.size() + " entries have type '"
						+ type + "' " + sameType + ", so it backs none of them and '" + property + "' is not set",
				"Set '" + property + "' (for example to ${" + variable + ":}), and '" + key
						+ "' in each other entry of type '" + type + "' that needs it.");
	}

}
