package dev.sandboxer.provider.blaxel;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Blaxel providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code BL_API_KEY}) and a workspace ({@code workspace} or {@code BL_WORKSPACE}); see {@link BlaxelSettings} for the
 * other settings.
 */
public final class BlaxelProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.BLAXEL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} or {@code workspace} when one is missing */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(BlaxelSettings.PROVIDER, "BL_API_KEY");
		return new BlaxelProvider(BlaxelSettings.from(config), apiKey, config);
	}

}
