package dev.sandboxer.provider.runloop;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Runloop settings: each key declared once below with its default and the official client's environment
 * variable (the declarations also feed the Spring Boot starter and IDE metadata), resolved once from a
 * {@link ProviderConfig}. Every API path adds {@code /v1} to {@code base-url}. The API key is kept out of this record;
 * see {@link RunloopProvider}.
 */
record RunloopSettings(URI baseUrl, @Nullable String blueprint, Duration startTimeout, String tunnelDomain,
		Duration defaultTimeout) {

	static final String PROVIDER = "runloop";

	static final String DEFAULT_BASE_URL = "https://api.runloop.ai";

	static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(5);

	static final ProviderSetting API_KEY = ProviderSetting.text(ProviderSetting.API_KEY, "Runloop API key.")
		.withEnvironment("RUNLOOP_API_KEY");

	static final ProviderSetting BASE_URL = ProviderSetting
		.text(ProviderSetting.BASE_URL, "URL of the Runloop API, without the /v1 that every path adds.")
		.withDefault(DEFAULT_BASE_URL)
		.withEnvironment("RUNLOOP_BASE_URL");

	static final ProviderSetting BLUEPRINT = ProviderSetting.text("blueprint",
			"Blueprint name new devboxes are made from when a create request names no template "
					+ "(Runloop's default image otherwise).");

	static final ProviderSetting START_TIMEOUT = ProviderSetting
		.of("start-timeout", Duration.class,
				"How long creating a sandbox waits for the new devbox to be running before shutting it down.")
		.withDefault("5m");

	static final ProviderSetting TUNNEL_DOMAIN = ProviderSetting.text("tunnel-domain",
			"Domain of the tunnel URLs portUrl returns; tunnel. followed by the API host without its api. "
					+ "(tunnel.runloop.ai) when not set, as the official client builds them.");

	/** Every key this provider reads, in the order the README lists them. */
	static final List<ProviderSetting> ALL = List.of(API_KEY, BASE_URL, BLUEPRINT, START_TIMEOUT, TUNNEL_DOMAIN);

	static RunloopSettings from(ProviderConfig config) {
		URI baseUrl = URI.create(config.urlValue(BASE_URL).orElseThrow());
		String blueprint = config.value(BLUEPRINT).map(String::strip).filter((name) -> !name.isEmpty()).orElse(null);
		Duration startTimeout = config.durationValue(START_TIMEOUT).orElseThrow();
		if (startTimeout.isNegative() || startTimeout.isZero()) {
			throw new BadConfigException(PROVIDER, START_TIMEOUT.key(), "'start-timeout' must be positive");
		}
		String tunnelDomain = config.value(TUNNEL_DOMAIN)
			.map((domain) -> domain.strip().toLowerCase(Locale.ROOT))
			.filter((domain) -> !domain.isEmpty())
			.orElseGet(() -> "tunnel." + withoutApiPrefix(baseUrl));
		return new RunloopSettings(baseUrl, blueprint, startTimeout, tunnelDomain, config.defaultTimeout());
	}

	private static String withoutApiPrefix(URI baseUrl) {
		String host = (baseUrl.getHost() != null) ? baseUrl.getHost().toLowerCase(Locale.ROOT) : "runloop.ai";
		return host.startsWith("api.") ? host.substring(4) : host;
	}

}
