package dev.sandboxer.provider.runloop;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Runloop settings resolved once from a {@link ProviderConfig}, with the official client's defaults and
 * environment variables:
 * <ul>
 * <li>{@code api-key}, else {@code RUNLOOP_API_KEY} (required);</li>
 * <li>{@code base-url}, else {@code RUNLOOP_BASE_URL}, else {@code https://api.runloop.ai} (paths add {@code /v1});</li>
 * <li>{@code blueprint}: the blueprint name a sandbox is made from when the request names no template (Runloop's
 * default image otherwise);</li>
 * <li>{@code start-timeout}: how long {@code createSandbox} waits for a new devbox to be {@code running}, 5 min by
 * default;</li>
 * <li>{@code tunnel-domain}: the domain of {@code portUrl}'s tunnel URLs, by default {@code tunnel.} followed by the
 * API host without its {@code api.} ({@code tunnel.runloop.ai}), as the official SDK builds it.</li>
 * </ul>
 * The API key is kept out of this record; see {@link RunloopProvider}.
 */
record RunloopSettings(URI baseUrl, @Nullable String blueprint, Duration startTimeout, String tunnelDomain,
		Duration defaultTimeout) {

	static final String PROVIDER = "runloop";

	static final String API_KEY_ENV = "RUNLOOP_API_KEY";

	static final String DEFAULT_BASE_URL = "https://api.runloop.ai";

	static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(5);

	static RunloopSettings from(ProviderConfig config) {
		URI baseUrl = URI.create(config.baseUrlOr(DEFAULT_BASE_URL, "RUNLOOP_BASE_URL"));
		String blueprint = config.extra("blueprint").map(String::strip).filter((name) -> !name.isEmpty()).orElse(null);
		Duration startTimeout = config.durationExtra("start-timeout").orElse(DEFAULT_START_TIMEOUT);
		if (startTimeout.isNegative() || startTimeout.isZero()) {
			throw new BadConfigException(PROVIDER, "start-timeout", "'start-timeout' must be positive");
		}
		String tunnelDomain = config.extra("tunnel-domain")
			.map((domain) -> domain.strip().toLowerCase(Locale.ROOT))
			.orElseGet(() -> "tunnel." + withoutApiPrefix(baseUrl));
		return new RunloopSettings(baseUrl, blueprint, startTimeout, tunnelDomain, config.defaultTimeout());
	}

	private static String withoutApiPrefix(URI baseUrl) {
		String host = (baseUrl.getHost() != null) ? baseUrl.getHost().toLowerCase(Locale.ROOT) : "runloop.ai";
		return host.startsWith("api.") ? host.substring(4) : host;
	}

}
