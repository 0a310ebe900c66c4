package dev.sandboxer.provider.blaxel;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Blaxel providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code BL_API_KEY}) and a workspace ({@code workspace} or {@code BL_WORKSPACE}); see {@link BlaxelSettings} for the
 * other settings.
 */
public final class BlaxelProviderFactory implements ProviderFactory {

	/** The provider type, kept here so that core names no provider it does not hold. */
	static final ProviderName NAME = ProviderName.of(BlaxelSettings.PROVIDER);

	@Override
	public ProviderName name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Blaxel sandboxes (control plane and each sandbox's sandbox-api).";
	}

	@Override
	public List<ProviderSetting> settings() {
		return BlaxelSettings.ALL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} or {@code workspace} when one is missing */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(BlaxelSettings.PROVIDER,
				BlaxelSettings.API_KEY.environmentVariables().toArray(String[]::new));
		return new BlaxelProvider(BlaxelSettings.from(config), apiKey, config);
	}

}
