package dev.sandboxer.samples.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample itself.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Metadata put on every sandbox this app creates, to find them later (for example in the provider's console).
	 */
	private final Map<String, String> metadata = new LinkedHashMap<>();

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

}
