package dev.sandboxer.provider.daytona;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
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
		return DaytonaSettings.NAME;
	}

	@Override
	public String description() {
		return "Daytona cloud sandboxes.";
	}

	@Override
	public List<ProviderSetting> settings() {
		return DaytonaSettings.ALL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} when there is no key */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(DaytonaSettings.PROVIDER,
				DaytonaSettings.API_KEY.environmentVariables().toArray(String[]::new));
		return new DaytonaProvider(DaytonaSettings.from(config), apiKey, config);
	}

}
