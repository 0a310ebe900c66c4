package dev.sandboxer.provider.blaxel;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Blaxel settings: each key declared once below with its default and the official SDK's environment variable
 * (blaxel-ai/sdk-typescript {@code @blaxel/core/src/common/settings.ts}; the declarations also feed the Spring Boot
 * starter and IDE metadata), resolved once from a {@link ProviderConfig}. The API key is kept out of this record; see
 * {@link BlaxelProvider}.
 */
record BlaxelSettings(URI apiUrl, String workspace, String image, int memoryMb, @Nullable String region,
		String runUrl, Duration defaultTimeout) {

	static final String PROVIDER = "blaxel";

	static final String DEFAULT_API_URL = "https://api.blaxel.ai/v0";

	static final String DEFAULT_RUN_URL = "https://run.blaxel.ai";

	static final String DEFAULT_IMAGE = "blaxel/base-image:latest";

	static final int DEFAULT_MEMORY_MB = 4096;

	static final ProviderSetting API_KEY = ProviderSetting.text(ProviderSetting.API_KEY, "Blaxel API key.")
		.withEnvironment("BL_API_KEY");

	static final ProviderSetting BASE_URL = ProviderSetting
		.text(ProviderSetting.BASE_URL, "URL of the Blaxel control plane.")
		.withDefault(DEFAULT_API_URL)
		.withEnvironment("BL_API_URL");

	static final ProviderSetting WORKSPACE = ProviderSetting
		.text("workspace", "Blaxel workspace that every call names (X-Blaxel-Workspace); required.")
		.withEnvironment("BL_WORKSPACE");

	static final ProviderSetting IMAGE = ProviderSetting
		.text("image", "Image of new sandboxes when a create request names no template.")
		.withDefault(DEFAULT_IMAGE);

	static final ProviderSetting MEMORY_MB = ProviderSetting
		.of("memory-mb", Integer.class,
				"Memory of new sandboxes in MB when a create request names none; Blaxel gives one CPU per 2048 MB.")
		.withDefault(DEFAULT_MEMORY_MB);

	static final ProviderSetting REGION = ProviderSetting
		.text("region", "Region of new sandboxes (us-pdx-1, eu-lon-1, ...); the closest one when not set.")
		.withEnvironment("BL_REGION");

	static final ProviderSetting RUN_URL = ProviderSetting
		.text("run-url", "Base of a sandbox's address when its record has no metadata.url: "
				+ "<run-url>/<workspace>/sandboxes/<name>.")
		.withDefault(DEFAULT_RUN_URL)
		.withEnvironment("BL_RUN_URL");

	/** Every key this provider reads, in the order the README lists them. */
	static final List<ProviderSetting> ALL = List.of(API_KEY, BASE_URL, WORKSPACE, IMAGE, MEMORY_MB, REGION, RUN_URL);

	static BlaxelSettings from(ProviderConfig config) {
		String workspace = config.require(PROVIDER, WORKSPACE).strip();
		URI apiUrl = URI.create(config.urlValue(BASE_URL).orElseThrow());
		String image = config.value(IMAGE).map(String::strip).orElseThrow();
		long memory = config.numberValue(MEMORY_MB).orElseThrow();
		if (memory < 1 || memory > Integer.MAX_VALUE) {
			throw new BadConfigException(PROVIDER, MEMORY_MB.key(),
					"'memory-mb' must be a positive number of MB, got " + memory);
		}
		String region = config.value(REGION).map(String::strip).orElse(null);
		String runUrl = config.urlValue(RUN_URL).orElseThrow();
		return new BlaxelSettings(apiUrl, workspace, image, (int) memory, region, runUrl, config.defaultTimeout());
	}

	/** Where a sandbox's sandbox-api is when its record does not say (the SDK's {@code externalUrl}). */
	String fallbackSandboxUrl(String name) {
		return this.runUrl + "/" + PathSegment.encode(this.workspace) + "/sandboxes/" + PathSegment.encode(name);
	}

}
