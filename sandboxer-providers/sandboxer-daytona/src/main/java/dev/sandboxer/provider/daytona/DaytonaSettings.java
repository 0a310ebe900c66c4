package dev.sandboxer.provider.daytona;

import java.net.URI;
import java.time.Duration;

import dev.sandboxer.config.ProviderConfig;
import org.jspecify.annotations.Nullable;

/**
 * The Daytona settings resolved once from a {@link ProviderConfig}, with the official SDK's defaults and environment
 * variables:
 * <ul>
 * <li>{@code api-key}, else {@code DAYTONA_API_KEY} (required; a JWT works too, with {@code organization-id});</li>
 * <li>{@code base-url}, else {@code DAYTONA_API_URL}, else {@code DAYTONA_SERVER_URL} (deprecated), else
 * {@code https://app.daytona.io/api};</li>
 * <li>{@code target} (the region new sandboxes go to), else {@code DAYTONA_TARGET}, else the organization's
 * default;</li>
 * <li>{@code organization-id}, else {@code DAYTONA_ORGANIZATION_ID}: sent as {@code X-Daytona-Organization-ID}, which
 * the API reads only with a JWT;</li>
 * <li>{@code toolbox-base-url}, else {@code DAYTONA_TOOLBOX_BASE_URL}: replaces the toolbox proxy URL the API gives
 * each sandbox (for self-hosted proxies and test servers); unset by default, and it should stay unset.</li>
 * </ul>
 * The API key is kept out of this record; see {@link DaytonaProvider}.
 */
record DaytonaSettings(URI apiUrl, @Nullable String target, @Nullable String organizationId,
		@Nullable URI toolboxBaseUrl, Duration defaultTimeout) {

	static final String PROVIDER = "daytona";

	static final String DEFAULT_API_URL = "https://app.daytona.io/api";

	static DaytonaSettings from(ProviderConfig config) {
		URI apiUrl = URI.create(config.baseUrlOr(DEFAULT_API_URL, "DAYTONA_API_URL", "DAYTONA_SERVER_URL"));
		String target = config.extraOrEnv("target", "DAYTONA_TARGET").map(String::strip).orElse(null);
		String organizationId = config.extraOrEnv("organization-id", "DAYTONA_ORGANIZATION_ID")
			.map(String::strip)
			.orElse(null);
		URI toolboxBaseUrl = config.urlExtra("toolbox-base-url", "DAYTONA_TOOLBOX_BASE_URL").map(URI::create).orElse(null);
		return new DaytonaSettings(apiUrl, target, organizationId, toolboxBaseUrl, config.defaultTimeout());
	}

}
