package dev.sandboxer.provider.local;

import dev.sandboxer.config.ProviderConfig;
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
	public SandboxProvider create(ProviderConfig config) {
		return new LocalProvider(LocalSettings.from(config));
	}

}
