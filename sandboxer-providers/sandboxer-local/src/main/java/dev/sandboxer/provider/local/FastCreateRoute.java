package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a create may go to the Engine over this JVM's own Unix socket ({@link UnixSocketExchange}) rather
 * than through docker-java, and to which socket. It may only when that is sure to reach the Engine docker-java would
 * reach, which holds when the address resolves to a Unix socket and no Docker context is selected: docker-java reads
 * contexts, TLS settings and {@code docker-java.properties} files, and this class does not follow any of them, so any
 * of those being in play sends the create the docker-java way. A wrong answer here would make a sandbox on another
 * Engine than every later call on it, so every doubt answers "no".
 * <p>
 * Following docker-java 3.7's resolution: an explicit {@code docker-host} (the setting, or {@code DOCKER_HOST}) wins;
 * else the {@code DOCKER_HOST} system property or a {@code docker-java.properties} file (on the class path or
 * {@code ~/.docker-java.properties}), which this class does not read, so they mean "no"; else the context named by
 * {@code DOCKER_CONTEXT} or by {@code currentContext} in {@code config.json} (in {@code DOCKER_CONFIG}, else
 * {@code ~/.docker}); else {@code unix:///var/run/docker.sock}. A context other than {@code default} means "no",
 * even with an explicit host (the rule is kept simple and strict); a missing or unreadable {@code config.json}
 * selects no context, as for docker-java, while one that is not JSON means "no" (docker-java fails on it, and the
 * user should hear its error).
 */
final class FastCreateRoute {

	static final String DEFAULT_SOCKET = "/var/run/docker.sock";

	private static final long MAX_CONFIG_BYTES = 1024 * 1024;

	private FastCreateRoute() {
	}

	/** The route for this JVM's environment. */
	static @Nullable Path socket(@Nullable String dockerHost) {
		return socket(dockerHost, System.getenv(), System.getProperties(),
				FastCreateRoute.class.getResource("/docker-java.properties") != null);
	}

	/**
	 * The Unix socket to create through, or {@code null} for the docker-java way.
	 * @param dockerHost the {@code docker-host} setting (which already includes {@code DOCKER_HOST})
	 * @param env the environment
	 * @param system the system properties
	 * @param propertiesOnClassPath whether a {@code docker-java.properties} is on the class path
	 */
	static @Nullable Path socket(@Nullable String dockerHost, Map<String, String> env, Properties system,
			boolean propertiesOnClassPath) {
		if (String.valueOf(system.getProperty("os.name")).toLowerCase(Locale.ROOT).startsWith("windows")) {
			return null;
		}
		if (isTrue(env.get("DOCKER_TLS_VERIFY")) || isTrue(system.getProperty("DOCKER_TLS_VERIFY"))) {
			return null;
		}
		String home = system.getProperty("user.home", "");
		String host = dockerHost;
		if (host == null) {
			host = blankToNull(env.get("DOCKER_HOST"));
		}
		if (host == null) {
			if (system.getProperty("DOCKER_HOST") != null || propertiesOnClassPath
					|| Files.exists(Path.of(home, ".docker-java.properties"))) {
				return null;
			}
		}
		if (contextSelected(env, system, home)) {
			return null;
		}
		if (host == null) {
			return Path.of(DEFAULT_SOCKET);
		}
		return unixPath(host);
	}

	private static @Nullable Path unixPath(String host) {
		try {
			URI uri = new URI(host.strip());
			if (!"unix".equals(uri.getScheme()) || uri.getPath() == null || uri.getPath().isEmpty()) {
				return null;
			}
			return Path.of(uri.getPath());
		}
		catch (URISyntaxException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean contextSelected(Map<String, String> env, Properties system, String home) {
		String named = blankToNull(env.get("DOCKER_CONTEXT"));
		if (named != null) {
			return !named.strip().equals("default");
		}
		String configDirectory = blankToNull(system.getProperty("DOCKER_CONFIG"));
		if (configDirectory == null) {
			configDirectory = blankToNull(env.get("DOCKER_CONFIG"));
		}
		Path config = ((configDirectory != null) ? Path.of(configDirectory) : Path.of(home, ".docker"))
			.resolve("config.json");
		String current;
		try {
			current = currentContext(config);
		}
		catch (IOException ex) {
			// Not JSON, or too large to be a CLI config: leave it to docker-java.
			return true;
		}
		return current != null && !current.equals("default");
	}

	/** The file's {@code currentContext}; {@code null} when the file or the field is absent or unreadable. */
	static @Nullable String currentContext(Path config) throws IOException {
		if (!Files.isRegularFile(config) || !Files.isReadable(config)) {
			return null;
		}
		byte[] bytes;
		try (InputStream in = Files.newInputStream(config)) {
			bytes = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
		}
		catch (IOException ex) {
			return null;
		}
		if (bytes.length > MAX_CONFIG_BYTES) {
			throw new IOException("over " + MAX_CONFIG_BYTES + " bytes");
		}
		if (bytes.length == 0) {
			return null;
		}
		return blankToNull(EngineJson.text(bytes, "currentContext"));
	}

	private static boolean isTrue(@Nullable String value) {
		return value != null && (value.strip().equalsIgnoreCase("true") || value.strip().equals("1"));
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
