package dev.sandboxer.provider.local;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.sandboxer.error.ProviderException;
import org.jspecify.annotations.Nullable;

/**
 * The few Engine calls a create and a session's start need, over {@link UnixSocketExchange}, with answers read by {@link EngineJson} and
 * failures typed by {@link EngineErrors} just as docker-java's would be. Blocking; run on an engine thread.
 */
final class SocketEngineCalls {

	/** Create answers are small; an image's inspect carries its history and config, well under this. */
	static final int MAX_ANSWER = 4 * 1024 * 1024;

	/** An exec's start, attached (not detached) and without a terminal, so stdout and stderr come framed apart. */
	private static final byte[] START_ATTACHED = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);

	private final UnixSocketExchange socket;

	private final EngineErrors errors;

	/** The version asked once; later calls reuse it. */
	private volatile @Nullable String version;

	SocketEngineCalls(UnixSocketExchange exchange, EngineErrors errors) {
		this.socket = exchange;
		this.errors = errors;
	}

	/** As {@link #apiVersion}, asked of the Engine once and then remembered. */
	String version(@Nullable String configured) throws IOException {
		String known = this.version;
		if (known == null) {
			known = apiVersion(configured);
			this.version = known;
		}
		return known;
	}

	/** The version {@link #version} chose, if it has asked yet. */
	@Nullable String knownVersion() {
		return this.version;
	}

	/** The API version to use: {@code configured}, else the newest both the Engine and docker-java speak. */
	String apiVersion(@Nullable String configured) throws IOException {
		if (configured != null) {
			return configured;
		}
		// The ping's header says the newest version the Engine speaks, in well under a millisecond; while that is one
		// docker-java knows, the Engine's oldest cannot be newer, so the choice needs nothing else. Past it, /version
		// (several milliseconds: the Engine asks its runtime's version too) gives the oldest as well.
		String newest = require(exchange("GET", "/_ping", null), "the Docker Engine").apiVersion();
		if (newest != null && DockerEngine.knownToDockerJava(newest)) {
			return DockerEngine.choose(newest, null);
		}
		// The unversioned path: the Engine answers it whatever versions it speaks.
		HttpAnswer answer = require(exchange("GET", "/version", null), "the Docker Engine");
		return DockerEngine.choose(field(answer, "the Docker Engine", "ApiVersion"),
				field(answer, "the Docker Engine", "MinAPIVersion"));
	}

	/**
	 * The image's working directory; {@link Image#present()} is false when the Engine does not have it.
	 * @param subject what failures name: the create's, as on the docker-java way
	 */
	Image inspectImage(String version, String image, String subject) throws IOException {
		HttpAnswer answer = exchange("GET",
				"/v" + version + "/images/" + PercentEncoding.encode(image) + "/json", null);
		if (answer.status() == 404) {
			return new Image(false, null);
		}
		require(answer, subject);
		return new Image(true, field(answer, subject, "Config", "WorkingDir"));
	}

	/** Makes the container; answers its id. */
	String create(String version, ContainerSpec spec, String subject) throws IOException {
		HttpAnswer answer = require(
				exchange("POST", "/v" + version + "/containers/create", CreateContainerJson.of(spec)),
				subject);
		String id = field(answer, subject, "Id");
		if (id == null || id.isEmpty()) {
			throw new ProviderException(EngineErrors.PROVIDER, "The Docker Engine made a container for " + subject
					+ " but its answer named none: " + EngineErrors.engineMessage(answer.text()), answer.status(), null,
					null);
		}
		return id;
	}

	/** Makes an exec of {@code argv} with stdin, stdout and stderr attached and no terminal; answers its id. */
	String createExec(String version, String containerId, List<String> argv, @Nullable String user, String subject)
			throws IOException {
		HttpAnswer answer = require(exchange("POST",
				"/v" + version + "/containers/" + PercentEncoding.encode(containerId) + "/exec",
				ExecCreateJson.of(argv, user)), subject);
		String id = field(answer, subject, "Id");
		if (id == null || id.isEmpty()) {
			throw new ProviderException(EngineErrors.PROVIDER, "The Docker Engine made a process in " + subject
					+ " but its answer named none: " + EngineErrors.engineMessage(answer.text()), answer.status(), null,
					null);
		}
		return id;
	}

	/**
	 * Starts an exec attached: the connection becomes its stdin (written to) and its framed output (read). The
	 * caller owns the connection and closes it.
	 */
	UnixSocketExchange.Upgraded startAttached(String version, String execId, String subject) throws IOException {
		String path = "/v" + version + "/exec/" + PercentEncoding.encode(execId) + "/start";
		try {
			return this.socket.upgrade(path, START_ATTACHED);
		}
		catch (UnixSocketExchange.RefusedUpgrade refused) {
			require(refused.answer(), subject);
			throw new ProviderException(EngineErrors.PROVIDER, "The Docker Engine answered " + refused.answer().status()
					+ " but no stream to starting a process in " + subject, refused.answer().status(), null, null);
		}
		catch (ProtocolException ex) {
			throw new ProviderException(EngineErrors.PROVIDER, "The answer on unix://" + this.socket.socket()
					+ " to POST " + path + " is not the Docker Engine's HTTP: " + ex.getMessage(), null, null, ex);
		}
	}

	void start(String version, String containerId, String subject) throws IOException {
		// 304: already started, which is as good.
		HttpAnswer answer = exchange("POST",
				"/v" + version + "/containers/" + PercentEncoding.encode(containerId) + "/start", null);
		if (answer.status() != 304) {
			require(answer, subject);
		}
	}

	/**
	 * Removes a container with its volumes, running or not; one that is gone or already being removed counts as
	 * removed.
	 */
	void remove(String version, String containerId) throws IOException {
		HttpAnswer answer = exchange("DELETE",
				"/v" + version + "/containers/" + PercentEncoding.encode(containerId) + "?force=true&v=true", null);
		if (answer.status() == 404 || (answer.status() == 409 && answer.text().contains("already in progress"))) {
			return;
		}
		require(answer, ContainerExec.subject(containerId));
	}

	/**
	 * One exchange. An answer that is not HTTP as the Engine speaks it is a {@link ProviderException} (the Engine,
	 * or whatever listens on its socket, answered wrongly); a connection that fails stays an {@link IOException},
	 * which {@link EngineErrors#map} reports as the Engine not being reachable.
	 */
	private HttpAnswer exchange(String method, String pathAndQuery, byte @Nullable [] json) throws IOException {
		try {
			return this.socket.exchange(method, pathAndQuery, json);
		}
		catch (ProtocolException ex) {
			throw new ProviderException(EngineErrors.PROVIDER, "The answer on unix://" + this.socket.socket()
					+ " to " + method + " " + pathAndQuery + " is not the Docker Engine's HTTP: " + ex.getMessage(), null,
					null, ex);
		}
	}

	private static @Nullable String field(HttpAnswer answer, String subject, String... path) {
		try {
			return EngineJson.text(answer.body(), path);
		}
		catch (IOException ex) {
			throw new ProviderException(EngineErrors.PROVIDER, "The Docker Engine's answer about " + subject
					+ " is not JSON: " + ex.getMessage(), answer.status(), null, ex);
		}
	}

	private HttpAnswer require(HttpAnswer answer, String subject) {
		if (answer.isSuccess()) {
			return answer;
		}
		throw this.errors.fromStatus(answer.status(), EngineErrors.engineMessage(answer.text()), subject, null);
	}

	/**
	 * An image inspect's outcome.
	 * @param present whether the Engine has the image
	 * @param workingDirectory its configured working directory, if any
	 */
	record Image(boolean present, @Nullable String workingDirectory) {

	}

}
