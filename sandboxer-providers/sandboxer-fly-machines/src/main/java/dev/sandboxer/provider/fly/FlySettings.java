package dev.sandboxer.provider.fly;

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
 * The Fly Machines settings: each key declared once below with its default and the environment variable Fly's own
 * tools read (the declarations also feed the Spring Boot starter and IDE metadata), resolved once from a
 * {@link ProviderConfig}. {@code api-key} and {@code app} are required. The API token is kept out of this record;
 * see {@link FlyProvider}.
 */
record FlySettings(URI apiUrl, String app, @Nullable String region, String image, String cpuKind, String publicHost,
		Duration defaultTimeout) {

	static final String PROVIDER = "fly-machines";

	static final String DEFAULT_API_URL = "https://api.machines.dev";

	static final String DEFAULT_IMAGE = "alpine:latest";

	/** A sandbox created without a timeout lives this long, as on E2B: a forgotten sandbox must not bill for ever. */
	static final Duration DEFAULT_SANDBOX_TIMEOUT = Duration.ofSeconds(300);

	static final ProviderSetting API_KEY = ProviderSetting
		.text(ProviderSetting.API_KEY, "Fly API token (fly tokens create deploy), sent as a bearer token.")
		.withEnvironment("FLY_API_TOKEN");

	static final ProviderSetting BASE_URL = ProviderSetting
		.text(ProviderSetting.BASE_URL, "URL of the Fly Machines API.")
		.withDefault(DEFAULT_API_URL)
		.withEnvironment("FLY_FLAPS_BASE_URL");

	static final ProviderSetting APP = ProviderSetting
		.text("app", "Fly app the sandboxes' machines are created in (required).")
		.withEnvironment("FLY_APP_NAME");

	static final ProviderSetting REGION = ProviderSetting
		.text("region", "Fly region of new machines, such as 'iad'; Fly picks one near the caller when not set.")
		.withEnvironment("FLY_REGION");

	static final ProviderSetting IMAGE = ProviderSetting
		.text("image", "Image of new sandboxes when a create request names no template; it needs /bin/sh.")
		.withDefault(DEFAULT_IMAGE);

	static final ProviderSetting CPU_KIND = ProviderSetting
		.text("cpu-kind", "CPU kind of new machines: 'shared' or 'performance'.")
		.withDefault("shared");

	static final ProviderSetting PUBLIC_HOST = ProviderSetting.text("public-host",
			"Host name of portUrl; <app>.fly.dev when not set (an app with its own domain sets it).");

	/** Every key this provider reads, in the order the README lists them. */
	static final List<ProviderSetting> ALL = List.of(API_KEY, BASE_URL, APP, REGION, IMAGE, CPU_KIND, PUBLIC_HOST);

	/** Fly app names: lower-case letters, digits and dashes. */
	private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private static final Pattern REGION_CODE = Pattern.compile("[a-z0-9]{2,10}");

	private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

	static FlySettings from(ProviderConfig config) {
		String app = config.value(APP)
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElseThrow(() -> new BadConfigException(PROVIDER, APP.key(),
					"No Fly app for provider 'fly-machines': set 'app' or the environment variable FLY_APP_NAME "
							+ "to the app the sandboxes' machines belong to (create one with 'fly apps create')"));
		if (!APP_NAME.matcher(app).matches()) {
			throw new BadConfigException(PROVIDER, APP.key(),
					"'app' must be a Fly app name (lower-case letters, digits and '-'), got '" + app + "'");
		}
		String region = config.value(REGION).map((value) -> value.strip().toLowerCase(Locale.ROOT)).orElse(null);
		if (region != null && !REGION_CODE.matcher(region).matches()) {
			throw new BadConfigException(PROVIDER, REGION.key(),
					"'region' must be a Fly region code such as 'iad' or 'ams', got '" + region + "'");
		}
		String cpuKind = config.value(CPU_KIND).map(String::strip).orElseThrow();
		if (!cpuKind.equals("shared") && !cpuKind.equals("performance")) {
			throw new BadConfigException(PROVIDER, CPU_KIND.key(),
					"'cpu-kind' must be 'shared' or 'performance', got '" + cpuKind + "'");
		}
		String publicHost = config.value(PUBLIC_HOST)
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.orElse(app + ".fly.dev");
		if (!HOST_NAME.matcher(publicHost).matches()) {
			throw new BadConfigException(PROVIDER, PUBLIC_HOST.key(),
					"'public-host' must be a host name such as my-app.fly.dev (no scheme, no path), got '" + publicHost
							+ "'");
		}
		String image = config.value(IMAGE).map(String::strip).orElseThrow();
		URI apiUrl = URI.create(config.urlValue(BASE_URL).orElseThrow());
		return new FlySettings(apiUrl, app, region, image, cpuKind, publicHost, config.defaultTimeout());
	}

}
