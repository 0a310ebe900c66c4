package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The E2B settings: each key declared once below with its default and the official SDK's environment variable (the
 * declarations also feed the Spring Boot starter and IDE metadata), resolved once from a {@link ProviderConfig}.
 * {@code base-url} defaults to {@code https://api.<domain>}; with {@code sandbox-url} every envd call goes to that
 * one URL. A {@code base-url} set alone (no {@code sandbox-url}, no domain) whose host does not begin with
 * {@code api.} is taken to serve envd too, as a test server or a gateway does: one URL is then enough. The API key is
 * kept out of this record; see {@link E2bProvider}.
 */
record E2bSettings(URI apiUrl, String domain, @Nullable URI sandboxUrl, int envdPort, String template,
		Duration defaultTimeout) {

	static final String PROVIDER = "e2b";

	static final String DEFAULT_DOMAIN = "e2b.app";

	static final int DEFAULT_ENVD_PORT = 49983;

	static final String DEFAULT_TEMPLATE = "base";

	/** The lifetime of a sandbox created without one: the official SDK's default, not the API's 15 s. */
	static final Duration DEFAULT_SANDBOX_TIMEOUT = Duration.ofSeconds(300);

	static final ProviderSetting API_KEY = ProviderSetting.text(ProviderSetting.API_KEY, "E2B API key.")
		.withEnvironment("E2B_API_KEY");

	static final ProviderSetting BASE_URL = ProviderSetting
		.text(ProviderSetting.BASE_URL, "URL of the E2B API; https://api.<domain> when not set. Set alone, to a "
				+ "host that does not begin with 'api.' (a test server), it takes the in-sandbox calls too.")
		.withEnvironment("E2B_API_URL");

	static final ProviderSetting DOMAIN = ProviderSetting
		.text("domain", "Domain that sandbox hosts live under (a host name, no scheme).")
		.withDefault(DEFAULT_DOMAIN)
		.withEnvironment("E2B_DOMAIN");

	static final ProviderSetting ENVD_DOMAIN = ProviderSetting.text("envd-domain",
			"Same as 'domain', under the reference SDKs' name; 'domain' wins when both are set.");

	static final ProviderSetting SANDBOX_URL = ProviderSetting
		.text("sandbox-url", "URL that every in-sandbox call is sent to instead of a per-sandbox host "
				+ "(self-hosted gateways, test servers).")
		.withEnvironment("E2B_SANDBOX_URL");

	static final ProviderSetting ENVD_PORT = ProviderSetting
		.of("envd-port", Integer.class, "Port of the in-sandbox daemon (envd).")
		.withDefault(DEFAULT_ENVD_PORT)
		.withEnvironment("E2B_ENVD_PORT");

	static final ProviderSetting TEMPLATE = ProviderSetting
		.text("template", "Template of new sandboxes when a create request names none.")
		.withDefault(DEFAULT_TEMPLATE)
		.withEnvironment("E2B_TEMPLATE_ID");

	/** Every key this provider reads, in the order the README lists them. */
	static final List<ProviderSetting> ALL = List.of(API_KEY, BASE_URL, DOMAIN, ENVD_DOMAIN, SANDBOX_URL, ENVD_PORT,
			TEMPLATE);

	private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");

	static E2bSettings from(ProviderConfig config) {
		// 'domain' and its environment variable win over the older 'envd-domain' key.
		String domain = config.extra(DOMAIN.key())
			.or(() -> config.extra(ENVD_DOMAIN.key()))
			.or(() -> config.value(DOMAIN))
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElseThrow();
		if (!HOST_NAME.matcher(domain).matches()) {
			throw new BadConfigException(PROVIDER, DOMAIN.key(),
					"'domain' must be a host name such as e2b.app (no scheme, no path), got '" + domain + "'");
		}
		URI apiUrl = URI.create(config.urlValue(BASE_URL).orElse("https://api." + domain));
		URI sandboxUrl = config.urlValue(SANDBOX_URL)
			.map(URI::create)
			.orElseGet(() -> servesEnvdToo(config, apiUrl) ? apiUrl : null);
		long port = config.numberValue(ENVD_PORT).orElseThrow();
		if (port < 1 || port > 65535) {
			throw new BadConfigException(PROVIDER, ENVD_PORT.key(),
					"'envd-port' must be between 1 and 65535, got " + port);
		}
		String template = config.value(TEMPLATE).map(String::strip).orElseThrow();
		return new E2bSettings(apiUrl, domain, sandboxUrl, (int) port, template, config.defaultTimeout());
	}

	/**
	 * Whether the configured API URL is one host for everything: E2B's own layout puts the API on {@code api.<domain>}
	 * and sandboxes on other hosts of that domain, so a URL on {@code api.*}, or any configured domain, keeps it.
	 */
	private static boolean servesEnvdToo(ProviderConfig config, URI apiUrl) {
		boolean baseUrlSet = config.value(BASE_URL).isPresent();
		boolean domainSet = config.extra(ENVD_DOMAIN.key())
			.or(() -> config.extraOrEnv(DOMAIN.key(), DOMAIN.environmentVariables().toArray(String[]::new)))
			.isPresent();
		return baseUrlSet && !domainSet && !apiUrl.getHost().toLowerCase(Locale.ROOT).startsWith("api.");
	}

}
