package dev.sandboxer.spi;

import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.model.ProviderName;

/**
 * Makes providers of one type. Found through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.sandboxer.spi.ProviderFactory}, or hand it to {@link ProviderRegistry#register}.
 */
public interface ProviderFactory {

	/** The type this factory makes, such as {@code e2b}. */
	ProviderName name();

	/** One line for people and IDEs: what this provider runs sandboxes on. */
	default String description() {
		return "Sandboxes from the '" + name().id() + "' provider.";
	}

	/**
	 * Whether this provider calls a vendor over the network. A remote provider's health check spends the vendor's
	 * rate limit, so the Spring Boot starter caches it; a local one is asked on every probe.
	 */
	default boolean remote() {
		return true;
	}

	/**
	 * The settings this provider reads, declared in one place with their types, defaults, descriptions and
	 * environment variables. The common ones ({@code type}, {@code api-key}, {@code base-url},
	 * {@code default-timeout}, {@code retry.*}) are always accepted; a provider lists {@code api-key} and
	 * {@code base-url} too when it reads them, to give their environment variables and default.
	 * <p>
	 * The Spring Boot starter rejects any other key of an entry of this type. A factory that declares nothing (the
	 * default, for providers written before settings were declared) is handed every key as it is.
	 */
	default List<ProviderSetting> settings() {
		return List.of();
	}

	/**
	 * Checks the configuration and makes a provider. Checking is eager, so that a missing key fails at start-up and
	 * not at the first call.
	 * @throws dev.sandboxer.error.BadConfigException saying what to set, never showing a secret
	 */
	SandboxProvider create(ProviderConfig config);

}
