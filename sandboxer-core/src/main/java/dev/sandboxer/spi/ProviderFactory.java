package dev.sandboxer.spi;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ProviderName;

/**
 * Makes providers of one type. Found through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.sandboxer.spi.ProviderFactory}, or hand it to {@link ProviderRegistry#register}.
 */
public interface ProviderFactory {

	/** The type this factory makes, such as {@code e2b}. */
	ProviderName name();

	/**
	 * Checks the configuration and makes a provider. Checking is eager, so that a missing key fails at start-up and
	 * not at the first call.
	 * @throws dev.sandboxer.error.BadConfigException saying what to set, never showing a secret
	 */
	SandboxProvider create(ProviderConfig config);

}
