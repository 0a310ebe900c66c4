package dev.sandboxer.provider.e2b;

import java.util.Locale;
import java.util.Map;

import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The provider-specific create options E2B's {@code NewSandbox} has, read from
 * {@link dev.sandboxer.model.CreateSandboxRequest#options()}. Keys may be written {@code autoPause},
 * {@code auto-pause} or {@code auto_pause}; values are {@code true} or {@code false}. Any other key is refused,
 * naming the known ones, so that a typo does not silently create a sandbox without the setting.
 * <p>
 * {@code secure} and {@code allowInternetAccess} default to true, as in the official SDK; the others are left to
 * the API's defaults.
 *
 * @param autoPause pause instead of kill at the end of the lifetime
 * @param autoPauseMemory keep the memory snapshot when auto-pausing (only with autoPause)
 * @param autoResume resume a paused sandbox when traffic arrives (only with autoPause)
 * @param secure require the envd access token for every envd call
 * @param allowInternetAccess let the sandbox reach the internet
 */
record CreateOptions(@Nullable Boolean autoPause, @Nullable Boolean autoPauseMemory, @Nullable Boolean autoResume,
		boolean secure, boolean allowInternetAccess) {

	static final String KNOWN = "autoPause, autoPauseMemory, autoResume, secure, allowInternetAccess";

	static CreateOptions from(Map<String, String> options) {
		Boolean autoPause = null;
		Boolean autoPauseMemory = null;
		Boolean autoResume = null;
		boolean secure = true;
		boolean allowInternetAccess = true;
		for (Map.Entry<String, String> option : options.entrySet()) {
			String key = option.getKey();
			boolean value = bool(key, option.getValue());
			switch (key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT)) {
				case "autopause" -> autoPause = value;
				case "autopausememory" -> autoPauseMemory = value;
				case "autoresume" -> autoResume = value;
				case "secure" -> secure = value;
				case "allowinternetaccess" -> allowInternetAccess = value;
				default -> throw new BadConfigException(E2bSettings.PROVIDER, "options",
						"Unknown e2b create option '" + key + "'; known options: " + KNOWN);
			}
		}
		if (!Boolean.TRUE.equals(autoPause) && (autoPauseMemory != null || Boolean.TRUE.equals(autoResume))) {
			throw new BadConfigException(E2bSettings.PROVIDER, "options",
					"The e2b options autoPauseMemory and autoResume need autoPause=true");
		}
		if (Boolean.FALSE.equals(autoPauseMemory) && Boolean.TRUE.equals(autoResume)) {
			throw new BadConfigException(E2bSettings.PROVIDER, "options",
					"The e2b option autoResume cannot be combined with autoPauseMemory=false: a filesystem-only "
							+ "snapshot is resumed explicitly only");
		}
		return new CreateOptions(autoPause, autoPauseMemory, autoResume, secure, allowInternetAccess);
	}

	private static boolean bool(String key, String value) {
		String text = value.strip().toLowerCase(Locale.ROOT);
		if (text.equals("true") || text.equals("false")) {
			return Boolean.parseBoolean(text);
		}
		throw new BadConfigException(E2bSettings.PROVIDER, "options",
				"The e2b create option '" + key + "' must be true or false, got '" + value + "'");
	}

}
