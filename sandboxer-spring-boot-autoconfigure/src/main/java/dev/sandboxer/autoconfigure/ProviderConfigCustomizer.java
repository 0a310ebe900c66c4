package dev.sandboxer.autoconfigure;

import dev.sandboxer.config.ProviderConfig;

/**
 * Adds to the configuration of one entry before its provider is built, such as an extension for the provider's
 * transport ({@link ProviderConfig.Builder#extension}). Beans of this type are applied to every entry, in order.
 */
@FunctionalInterface
public interface ProviderConfigCustomizer {

	/**
	 * @param entry the entry's name under {@code sandboxer.providers}
	 * @param type the entry's provider type
	 * @param properties the entry's common properties
	 * @param config the configuration being built
	 * @throws SandboxerPropertyException naming the property, when the entry's settings cannot work
	 */
	void customize(String entry, String type, SandboxerProperties.Provider properties, ProviderConfig.Builder config);

}
