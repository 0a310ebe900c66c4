package dev.sandboxer.provider.daytona;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import org.jspecify.annotations.Nullable;

/**
 * The Daytona settings: each key declared once below with its default and the official SDK's environment variable
 * ({@code libs/sdk-typescript/src/Daytona.ts} at b5a5d9e7; the declarations also feed the Spring Boot starter and IDE
 * metadata), resolved once from a {@link ProviderConfig}. The API key is kept out of this record; see
 * {@link DaytonaProvider}.
 */
record DaytonaSettings(URI apiUrl, @Nullable String target, @Nullable String organizationId,
		@Nullable URI toolboxBaseUrl, Duration defaultTimeout) {

	static final String PROVIDER = "daytona";

	static final ProviderName NAME = new ProviderName(PROVIDER);

	static final String DEFAULT_API_URL = "https://app.daytona.io/api";

	static final ProviderSetting API_KEY = ProviderSetting
		.text(ProviderSetting.API_KEY, "Daytona API key (a JWT works too, with 'organization-id').")
		.withEnvironment("DAYTONA_API_KEY");

	static final ProviderSetting BASE_URL = ProviderSetting.text(ProviderSetting.BASE_URL, "URL of the Daytona API.")
		.withDefault(DEFAULT_API_URL)
		.withEnvironment("DAYTONA_API_URL", "DAYTONA_SERVER_URL");

	static final ProviderSetting TARGET = ProviderSetting
		.text("target", "Region (target) new sandboxes are created in; the organization's default when not set.")
		.withEnvironment("DAYTONA_TARGET");

	static final ProviderSetting ORGANIZATION_ID = ProviderSetting
		.text("organization-id", "Organization sent as X-Daytona-Organization-ID (needed with a JWT, not with an "
				+ "API key).")
		.withEnvironment("DAYTONA_ORGANIZATION_ID");

	static final ProviderSetting TOOLBOX_BASE_URL = ProviderSetting
		.text("toolbox-base-url", "URL of a toolbox proxy to use instead of the one the API gives each sandbox "
				+ "(self-hosted proxies, test servers); leave unset otherwise.")
		.withEnvironment("DAYTONA_TOOLBOX_BASE_URL");

	/** Every key this provider reads, in the order the README lists them. */
	static final List<ProviderSetting> ALL = List.of(API_KEY, BASE_URL, TARGET, ORGANIZATION_ID, TOOLBOX_BASE_URL);

	static DaytonaSettings from(ProviderConfig config) {
		URI apiUrl = URI.create(config.urlValue(BASE_URL).orElseThrow());
		String target = config.value(TARGET).map(String::strip).filter((value) -> !value.isEmpty()).orElse(null);
		String organizationId = config.value(ORGANIZATION_ID)
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.orElse(null);
		URI toolboxBaseUrl = config.urlValue(TOOLBOX_BASE_URL).map(URI::create).orElse(null);
		return new DaytonaSettings(apiUrl, target, organizationId, toolboxBaseUrl, config.defaultTimeout());
	}

}
