package dev.sandboxer.provider.e2b;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes E2B providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code E2B_API_KEY}); see {@link E2bSettings} for the other settings.
 */
public final class E2bProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.E2B;
	}

	@Override
	public String description() {
		return "E2B cloud sandboxes.";
	}

	@Override
	public List<ProviderSetting> settings() {
		return E2bSettings.ALL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} when there is no key */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(E2bSettings.PROVIDER, E2bSettings.API_KEY.environmentVariables()
			.toArray(String[]::new));
		return new E2bProvider(E2bSettings.from(config), apiKey, config);
	}

}
