package dev.sandboxer.provider.fly;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Fly Machines providers; found through {@link java.util.ServiceLoader}. Needs an API token ({@code api-key}
 * or {@code FLY_API_TOKEN}) and an app ({@code app} or {@code FLY_APP_NAME}); see {@link FlySettings} for the other
 * settings.
 */
public final class FlyProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.FLY_MACHINES;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} or {@code app} when one is missing */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String token = config.requireApiKey(FlySettings.PROVIDER, "FLY_API_TOKEN");
		return new FlyProvider(FlySettings.from(config), token, config);
	}

}
