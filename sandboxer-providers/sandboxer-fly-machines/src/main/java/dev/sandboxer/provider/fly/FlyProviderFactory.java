package dev.sandboxer.provider.fly;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Fly Machines providers; found through {@link java.util.ServiceLoader}. Needs an API token ({@code api-key}
 * or {@code FLY_API_TOKEN}) and an app ({@code app} or {@code FLY_APP_NAME}); see {@link FlySettings} for the other
 * settings.
 */
public final class FlyProviderFactory implements ProviderFactory {

	/** The provider type, as the reference SDKs name it. */
	static final ProviderName NAME = new ProviderName(FlySettings.PROVIDER);

	@Override
	public ProviderName name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Fly.io Machines: one machine per sandbox, in one Fly app.";
	}

	@Override
	public List<ProviderSetting> settings() {
		return FlySettings.ALL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} or {@code app} when one is missing */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String token = config.require(FlySettings.PROVIDER, FlySettings.API_KEY);
		return new FlyProvider(FlySettings.from(config), token, config);
	}

}
