package dev.sandboxer.provider.local;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;

/**
 * Makes {@code local} providers. Found through {@link java.util.ServiceLoader}. The settings are checked here;
 * the Engine is first contacted by the first call, so an application can start while Docker is still coming up
 * (its health check, {@code ping}, says when it is not there).
 */
public final class LocalProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.LOCAL;
	}

	@Override
	public String description() {
		return "Docker containers on this machine's Docker Engine.";
	}

	@Override
	public boolean remote() {
		return false;
	}

	@Override
	public List<ProviderSetting> settings() {
		return LocalSettings.ALL;
	}

	@Override
	public SandboxProvider create(ProviderConfig config) {
		return new LocalProvider(LocalSettings.from(config));
	}

}
