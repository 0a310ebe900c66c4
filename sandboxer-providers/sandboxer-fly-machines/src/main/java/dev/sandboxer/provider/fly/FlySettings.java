package dev.sandboxer.provider.fly;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The Fly Machines settings resolved once from a {@link ProviderConfig}, with the environment variables of Fly's
 * own tools as fallbacks:
 * <ul>
 * <li>{@code api-key}, else {@code FLY_API_TOKEN} (required; kept out of this record);</li>
 * <li>{@code base-url}, else {@code FLY_FLAPS_BASE_URL} (fly-go's override), else {@code https://api.machines.dev};</li>
 * <li>{@code app}, else {@code FLY_APP_NAME} (required): the Fly app the machines live in;</li>
 * <li>{@code region}, else {@code FLY_REGION}: where machines are created; Fly picks one near the caller when
 * unset;</li>
 * <li>{@code image}: the image of a sandbox created without a template, {@code alpine:latest} by default;</li>
 * <li>{@code cpu-kind}: {@code shared} (the default) or {@code performance};</li>
 * <li>{@code public-host}: the host of {@code portUrl}, {@code <app>.fly.dev} by default (an app with its own
 * domain sets it).</li>
 * </ul>
 */
record FlySettings(URI apiUrl, String app, @Nullable String region, String image, String cpuKind, String publicHost,
		Duration defaultTimeout) {

	static final String PROVIDER = "fly-machines";

	static final String DEFAULT_API_URL = "https://api.machines.dev";

	static final String DEFAULT_IMAGE = "alpine:latest";

	/** A sandbox created without a timeout lives this long, as on E2B: a forgotten sandbox must not bill for ever. */
	static final Duration DEFAULT_SANDBOX_TIMEOUT = Duration.ofSeconds(300);

	/** Fly app names: lower-case letters, digits and dashes. */
	private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private static final Pattern REGION = Pattern.compile("[a-z0-9]{2,10}");

	private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

	static FlySettings from(ProviderConfig config) {
		String app = config.extraOrEnv("app", "FLY_APP_NAME")
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElseThrow(() -> new BadConfigException(PROVIDER, "app",
					"No Fly app for provider 'fly-machines': set 'app' or the environment variable FLY_APP_NAME "
							+ "to the app the sandboxes' machines belong to (create one with 'fly apps create')"));
		if (!APP_NAME.matcher(app).matches()) {
			throw new BadConfigException(PROVIDER, "app",
					"'app' must be a Fly app name (lower-case letters, digits and '-'), got '" + app + "'");
		}
		String region = config.extraOrEnv("region", "FLY_REGION")
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElse(null);
		if (region != null && !REGION.matcher(region).matches()) {
			throw new BadConfigException(PROVIDER, "region",
					"'region' must be a Fly region code such as 'iad' or 'ams', got '" + region + "'");
		}
		String cpuKind = config.extra("cpu-kind").map(String::strip).orElse("shared");
		if (!cpuKind.equals("shared") && !cpuKind.equals("performance")) {
			throw new BadConfigException(PROVIDER, "cpu-kind",
					"'cpu-kind' must be 'shared' or 'performance', got '" + cpuKind + "'");
		}
		String publicHost = config.extra("public-host")
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElse(app + ".fly.dev");
		if (!HOST_NAME.matcher(publicHost).matches()) {
			throw new BadConfigException(PROVIDER, "public-host",
					"'public-host' must be a host name such as my-app.fly.dev (no scheme, no path), got '" + publicHost
							+ "'");
		}
		String image = config.extra("image").map(String::strip).orElse(DEFAULT_IMAGE);
		URI apiUrl = URI.create(config.baseUrlOr(DEFAULT_API_URL, "FLY_FLAPS_BASE_URL"));
		return new FlySettings(apiUrl, app, region, image, cpuKind, publicHost, config.defaultTimeout());
	}

}
