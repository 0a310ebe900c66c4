package dev.sandboxer.provider.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the {@code local} provider, read once from its {@link ProviderConfig}.
 *
 * @param dockerHost the Engine's address ({@code unix:///var/run/docker.sock}, {@code tcp://host:2375}); when
 * {@code null}, docker-java's own resolution applies (Docker context, then the default socket)
 * @param defaultImage the image used when a create request names no template
 * @param apiVersion an Engine API version to use instead of negotiating one ({@code 1.41})
 * @param portBindAddress the host address published ports are bound to
 * @param connectTimeout how long to wait for a connection to the Engine, and for its answer to a short call
 * ({@code default-timeout})
 * @param commandTimeout how long a command may run when its request sets no timeout ({@code command-timeout})
 * @param pullTimeout how long pulling a missing image may take before the create fails
 * @param sessions whether {@code runCommand} goes through a persistent in-sandbox session ({@code session}) rather
 * than a Docker exec per command
 */
record LocalSettings(@Nullable String dockerHost, String defaultImage, @Nullable String apiVersion,
		String portBindAddress, Duration connectTimeout, Duration commandTimeout, Duration pullTimeout,
		boolean sessions) {

	static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(5);

	static final String DEFAULT_IMAGE = "alpine:latest";

	static final ProviderSetting DOCKER_HOST = ProviderSetting
		.text("docker-host", "Address of the Docker Engine (unix:///var/run/docker.sock, tcp://host:2375); "
				+ "docker-java's own resolution (Docker context, default socket) when not set.")
		.withEnvironment("DOCKER_HOST");

	static final ProviderSetting API_VERSION = ProviderSetting
		.text("api-version", "Engine API version to use (1.41) instead of negotiating one.")
		.withEnvironment("DOCKER_API_VERSION");

	static final ProviderSetting IMAGE = ProviderSetting
		.text("image", "Container image of new sandboxes when a create request names no template.")
		.withDefault(DEFAULT_IMAGE);

	static final ProviderSetting PORT_BIND_ADDRESS = ProviderSetting
		.text("port-bind-address", "Host address that published ports are bound to.")
		.withDefault("127.0.0.1");

	static final ProviderSetting PULL_TIMEOUT = ProviderSetting.of("pull-timeout", Duration.class,
			"How long pulling an image that is not on the Engine may take before the create fails.")
		.withDefault("5m");

	static final ProviderSetting SESSION = ProviderSetting.of("session", Boolean.class,
			"Whether runCommand goes through a persistent process inside the sandbox (a few ms a command) instead of "
					+ "a Docker exec per command (about 50 ms); false gives plain exec.")
		.withDefault("true");

	/** Every key this provider reads. */
	static final List<ProviderSetting> ALL = List.of(DOCKER_HOST, API_VERSION, IMAGE, PORT_BIND_ADDRESS,
			PULL_TIMEOUT, SESSION);

	private static final Pattern API_VERSION_FORMAT = Pattern.compile("1\\.\\d{1,3}");

	static LocalSettings from(ProviderConfig config) {
		String dockerHost = config.value(DOCKER_HOST).map(LocalSettings::validHost).orElse(null);
		String apiVersion = config.value(API_VERSION).map(String::strip).map(LocalSettings::validApiVersion).orElse(null);
		String image = config.extra(IMAGE.key())
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.orElse(DEFAULT_IMAGE);
		String bindAddress = config.value(PORT_BIND_ADDRESS).map(String::strip).orElseThrow();
		// The key every provider takes; the client faces apply it before a request reaches here.
		Duration commandTimeout = config.commandTimeout();
		Duration pullTimeout = config.durationValue(PULL_TIMEOUT).orElse(DEFAULT_PULL_TIMEOUT);
		if (pullTimeout.isNegative() || pullTimeout.isZero()) {
			throw new BadConfigException("local", PULL_TIMEOUT.key(), "'pull-timeout' must be positive, got " + pullTimeout);
		}
		boolean sessions = config.value(SESSION).map(LocalSettings::validBoolean).orElse(true);
		return new LocalSettings(dockerHost, image, apiVersion, bindAddress, config.defaultTimeout(), commandTimeout,
				pullTimeout, sessions);
	}

	private static boolean validBoolean(String value) {
		String plain = value.strip().toLowerCase(java.util.Locale.ROOT);
		if (!plain.equals("true") && !plain.equals("false")) {
			throw new BadConfigException("local", SESSION.key(), "'session' must be true or false, got '" + value + "'");
		}
		return Boolean.parseBoolean(plain);
	}

	private static String validHost(String host) {
		String value = host.strip();
		try {
			URI uri = new URI(value);
			String scheme = uri.getScheme();
			if ("unix".equals(scheme) || "npipe".equals(scheme)) {
				if (uri.getPath() == null || uri.getPath().isEmpty()) {
					throw new URISyntaxException(value, "a socket path is needed");
				}
				return value;
			}
			if ("tcp".equals(scheme) && uri.getHost() != null && uri.getPort() > 0) {
				return value;
			}
			throw new URISyntaxException(value, "unsupported scheme");
		}
		catch (URISyntaxException ex) {
			throw new BadConfigException("local", "docker-host",
					"'docker-host' (or DOCKER_HOST) must look like unix:///var/run/docker.sock or tcp://host:2375, got '"
							+ value + "'");
		}
	}

	private static String validApiVersion(String version) {
		String plain = version.startsWith("v") ? version.substring(1) : version;
		if (!API_VERSION_FORMAT.matcher(plain).matches()) {
			throw new BadConfigException("local", "api-version",
					"'api-version' (or DOCKER_API_VERSION) must look like 1.41, got '" + version + "'");
		}
		return plain;
	}

}
