package dev.sandboxer.provider.runloop;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Runloop providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code RUNLOOP_API_KEY}); see {@link RunloopSettings} for the other settings.
 */
public final class RunloopProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.RUNLOOP;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} when there is no key */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.requireApiKey(RunloopSettings.PROVIDER, RunloopSettings.API_KEY_ENV);
		return new RunloopProvider(RunloopSettings.from(config), apiKey, config);
	}

}
