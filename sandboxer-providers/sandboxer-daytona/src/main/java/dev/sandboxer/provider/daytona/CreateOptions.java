package dev.sandboxer.provider.daytona;

import java.util.Locale;
import java.util.Map;

import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Daytona-specific create options, read from {@link dev.sandboxer.model.CreateSandboxRequest#options()}: the
 * {@code CreateSandbox} fields that have no place in the common request. Keys may be written
 * {@code autoArchiveInterval}, {@code auto-archive-interval} or {@code auto_archive_interval}. Any other key is
 * refused, naming the known ones, so that a typo does not silently create a sandbox without the setting.
 *
 * @param name the sandbox's name (the API uses the id when absent)
 * @param user the user the toolbox runs commands as
 * @param isPublic whether port previews need no token
 * @param diskGb disk in GB
 * @param gpu GPU units
 * @param autoArchiveInterval minutes a stopped sandbox waits before it is archived (0: the maximum)
 * @param networkBlockAll whether to block all outbound traffic
 * @param networkAllowList comma-separated CIDRs the sandbox may reach
 * @param domainAllowList comma-separated domains the sandbox may reach
 */
record CreateOptions(@Nullable String name, @Nullable String user, @Nullable Boolean isPublic,
		@Nullable Integer diskGb, @Nullable Integer gpu, @Nullable Integer autoArchiveInterval,
		@Nullable Boolean networkBlockAll, @Nullable String networkAllowList, @Nullable String domainAllowList) {

	static final String KNOWN = "name, user, public, disk, gpu, autoArchiveInterval, networkBlockAll, "
			+ "networkAllowList, domainAllowList";

	static CreateOptions from(Map<String, String> options) {
		String name = null;
		String user = null;
		Boolean isPublic = null;
		Integer disk = null;
		Integer gpu = null;
		Integer autoArchive = null;
		Boolean blockAll = null;
		String allowList = null;
		String domains = null;
		for (Map.Entry<String, String> option : options.entrySet()) {
			String key = option.getKey();
			String value = option.getValue().strip();
			switch (key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT)) {
				case "name" -> name = value;
				case "user" -> user = value;
				case "public" -> isPublic = bool(key, value);
				case "disk" -> disk = number(key, value, 1);
				case "gpu" -> gpu = number(key, value, 0);
				case "autoarchiveinterval" -> autoArchive = number(key, value, 0);
				case "networkblockall" -> blockAll = bool(key, value);
				case "networkallowlist" -> allowList = value;
				case "domainallowlist" -> domains = value;
				default -> throw new BadConfigException(DaytonaSettings.PROVIDER, "options",
						"Unknown daytona create option '" + key + "'; known options: " + KNOWN);
			}
		}
		return new CreateOptions(name, user, isPublic, disk, gpu, autoArchive, blockAll, allowList, domains);
	}

	private static boolean bool(String key, String value) {
		String text = value.toLowerCase(Locale.ROOT);
		if (text.equals("true") || text.equals("false")) {
			return Boolean.parseBoolean(text);
		}
		throw new BadConfigException(DaytonaSettings.PROVIDER, "options",
				"The daytona create option '" + key + "' must be true or false, got '" + value + "'");
	}

	private static int number(String key, String value, int min) {
		try {
			int number = Integer.parseInt(value);
			if (number >= min) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the allowed range
		}
		throw new BadConfigException(DaytonaSettings.PROVIDER, "options",
				"The daytona create option '" + key + "' must be a whole number of at least " + min + ", got '" + value
						+ "'");
	}

}
