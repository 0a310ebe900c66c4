package dev.sandboxer.provider.daytona;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Daytona providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code DAYTONA_API_KEY}); see {@link DaytonaSettings} for the other settings.
 */
public final class DaytonaProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.DAYTONA;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} when there is no key */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(DaytonaSettings.PROVIDER, "DAYTONA_API_KEY");
		return new DaytonaProvider(DaytonaSettings.from(config), apiKey, config);
	}

}
