package dev.sandboxer.provider.runloop;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes Runloop providers; found through {@link java.util.ServiceLoader}. Needs an API key ({@code api-key} or
 * {@code RUNLOOP_API_KEY}); see {@link RunloopSettings} for the other settings.
 */
public final class RunloopProviderFactory implements ProviderFactory {

	/** Kept here rather than in core, so that core names no provider that is not on the class path. */
	public static final ProviderName NAME = new ProviderName(RunloopSettings.PROVIDER);

	@Override
	public ProviderName name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Runloop devboxes.";
	}

	@Override
	public List<ProviderSetting> settings() {
		return RunloopSettings.ALL;
	}

	/** @throws dev.sandboxer.error.BadConfigException naming {@code api-key} when there is no key */
	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = config.require(RunloopSettings.PROVIDER, RunloopSettings.API_KEY);
		return new RunloopProvider(RunloopSettings.from(config), apiKey, config);
	}

}
