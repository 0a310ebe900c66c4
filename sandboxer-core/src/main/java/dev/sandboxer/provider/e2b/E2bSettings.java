package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The E2B settings resolved once from a {@link ProviderConfig}, with the official SDK's defaults and environment
 * variables:
 * <ul>
 * <li>{@code api-key}, else {@code E2B_API_KEY} (required);</li>
 * <li>{@code domain} (or {@code envd-domain}), else {@code E2B_DOMAIN}, else {@code e2b.app};</li>
 * <li>{@code base-url}, else {@code E2B_API_URL}, else {@code https://api.<domain>};</li>
 * <li>{@code sandbox-url}, else {@code E2B_SANDBOX_URL}: every envd call goes to this one URL (self-hosted gateways,
 * test servers);</li>
 * <li>{@code envd-port}, else {@code E2B_ENVD_PORT}, else 49983;</li>
 * <li>{@code template}, else {@code E2B_TEMPLATE_ID}, else {@code base}.</li>
 * </ul>
 * The API key is kept out of this record; see {@link E2bProvider}.
 */
record E2bSettings(URI apiUrl, String domain, @Nullable URI sandboxUrl, int envdPort, String template,
		Duration defaultTimeout) {

	static final String PROVIDER = "e2b";

	static final String DEFAULT_DOMAIN = "e2b.app";

	static final int DEFAULT_ENVD_PORT = 49983;

	static final String DEFAULT_TEMPLATE = "base";

	/** The lifetime of a sandbox created without one: the official SDK's default, not the API's 15 s. */
	static final Duration DEFAULT_SANDBOX_TIMEOUT = Duration.ofSeconds(300);

	private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");

	static E2bSettings from(ProviderConfig config) {
		String domain = config.extra("domain")
			.or(() -> config.extra("envd-domain"))
			.or(() -> config.env("E2B_DOMAIN"))
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElse(DEFAULT_DOMAIN);
		if (!HOST_NAME.matcher(domain).matches()) {
			throw new BadConfigException(PROVIDER, "domain",
					"'domain' must be a host name such as e2b.app (no scheme, no path), got '" + domain + "'");
		}
		URI apiUrl = URI.create(config.baseUrlOr("https://api." + domain, "E2B_API_URL"));
		URI sandboxUrl = config.urlExtra("sandbox-url", "E2B_SANDBOX_URL").map(URI::create).orElse(null);
		long port = config.numberExtra("envd-port", "E2B_ENVD_PORT").orElse((long) DEFAULT_ENVD_PORT);
		if (port < 1 || port > 65535) {
			throw new BadConfigException(PROVIDER, "envd-port", "'envd-port' must be between 1 and 65535, got " + port);
		}
		String template = config.extraOrEnv("template", "E2B_TEMPLATE_ID").map(String::strip).orElse(DEFAULT_TEMPLATE);
		return new E2bSettings(apiUrl, domain, sandboxUrl, (int) port, template, config.defaultTimeout());
	}

}
