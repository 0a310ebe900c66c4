package dev.sandboxer.provider.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
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
 * @param connectTimeout how long to wait for a connection to the Engine
 * @param commandTimeout how long a command may run when its request sets no timeout
 */
record LocalSettings(@Nullable String dockerHost, String defaultImage, @Nullable String apiVersion,
		String portBindAddress, Duration connectTimeout, Duration commandTimeout) {

	static final String DEFAULT_IMAGE = "alpine:latest";

	private static final Pattern API_VERSION = Pattern.compile("1\\.\\d{1,3}");

	static LocalSettings from(ProviderConfig config) {
		String dockerHost = config.extraOrEnv("docker-host", "DOCKER_HOST").map(LocalSettings::validHost).orElse(null);
		String apiVersion = config.extraOrEnv("api-version", "DOCKER_API_VERSION")
			.map(String::strip)
			.map(LocalSettings::validApiVersion)
			.orElse(null);
		String image = config.extra("image").map(String::strip).filter((value) -> !value.isEmpty()).orElse(DEFAULT_IMAGE);
		String bindAddress = config.extra("port-bind-address").map(String::strip).orElse("127.0.0.1");
		Duration commandTimeout = config.durationExtra("command-timeout").orElse(config.defaultTimeout());
		return new LocalSettings(dockerHost, image, apiVersion, bindAddress, config.defaultTimeout(), commandTimeout);
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
		if (!API_VERSION.matcher(plain).matches()) {
			throw new BadConfigException("local", "api-version",
					"'api-version' (or DOCKER_API_VERSION) must look like 1.41, got '" + version + "'");
		}
		return plain;
	}

}
