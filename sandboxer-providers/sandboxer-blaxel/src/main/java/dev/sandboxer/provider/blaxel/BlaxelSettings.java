package dev.sandboxer.provider.blaxel;

import java.net.URI;
import java.time.Duration;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Blaxel settings resolved once from a {@link ProviderConfig}, with the official SDK's defaults and environment
 * variables (blaxel-ai/sdk-typescript {@code @blaxel/core/src/common/settings.ts}):
 * <ul>
 * <li>{@code api-key}, else {@code BL_API_KEY} (required);</li>
 * <li>{@code workspace}, else {@code BL_WORKSPACE} (required: every call names it in {@code X-Blaxel-Workspace});</li>
 * <li>{@code base-url}, else {@code BL_API_URL}, else {@code https://api.blaxel.ai/v0};</li>
 * <li>{@code image}, else {@code blaxel/base-image:latest}; {@code memory-mb}, else 4096 (the SDK's create
 * defaults);</li>
 * <li>{@code region}, else {@code BL_REGION}, else none (the control plane then picks the closest);</li>
 * <li>{@code run-url}, else {@code BL_RUN_URL}, else {@code https://run.blaxel.ai}: only for a sandbox whose record
 * has no {@code metadata.url}, which is then {@code <run-url>/<workspace>/sandboxes/<name>} as in the SDK.</li>
 * </ul>
 * The API key is kept out of this record; see {@link BlaxelProvider}.
 */
record BlaxelSettings(URI apiUrl, String workspace, String image, int memoryMb, @Nullable String region,
		String runUrl, Duration defaultTimeout) {

	static final String PROVIDER = "blaxel";

	static final String DEFAULT_API_URL = "https://api.blaxel.ai/v0";

	static final String DEFAULT_RUN_URL = "https://run.blaxel.ai";

	static final String DEFAULT_IMAGE = "blaxel/base-image:latest";

	static final int DEFAULT_MEMORY_MB = 4096;

	static BlaxelSettings from(ProviderConfig config) {
		String workspace = config.extraOrEnv("workspace", "BL_WORKSPACE")
			.map(String::strip)
			.orElseThrow(() -> new BadConfigException(PROVIDER, "workspace",
					"No workspace for provider 'blaxel': set 'workspace' or the environment variable BL_WORKSPACE"));
		URI apiUrl = URI.create(config.baseUrlOr(DEFAULT_API_URL, "BL_API_URL"));
		String image = config.extra("image").map(String::strip).orElse(DEFAULT_IMAGE);
		long memory = config.numberExtra("memory-mb").orElse((long) DEFAULT_MEMORY_MB);
		if (memory < 1 || memory > Integer.MAX_VALUE) {
			throw new BadConfigException(PROVIDER, "memory-mb", "'memory-mb' must be a positive number of MB, got " + memory);
		}
		String region = config.extraOrEnv("region", "BL_REGION").map(String::strip).orElse(null);
		String runUrl = config.urlExtra("run-url", "BL_RUN_URL").orElse(DEFAULT_RUN_URL);
		return new BlaxelSettings(apiUrl, workspace, image, (int) memory, region, runUrl, config.defaultTimeout());
	}

	/** Where a sandbox's sandbox-api is when its record does not say (the SDK's {@code externalUrl}). */
	String fallbackSandboxUrl(String name) {
		return this.runUrl + "/" + PathSegment.encode(this.workspace) + "/sandboxes/" + PathSegment.encode(name);
	}

}
