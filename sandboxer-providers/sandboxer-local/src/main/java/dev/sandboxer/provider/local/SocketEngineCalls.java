package dev.sandboxer.provider.local;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * The few Engine calls a create needs, over {@link UnixSocketExchange}, with answers read by {@link EngineJson} and
 * failures typed by {@link EngineErrors} just as docker-java's would be. Blocking; run on an engine thread.
 */
final class SocketEngineCalls {

	/** Create answers are small; an image's inspect carries its history and config, well under this. */
	static final int MAX_ANSWER = 4 * 1024 * 1024;

	private final UnixSocketExchange exchange;

	private final EngineErrors errors;

	SocketEngineCalls(UnixSocketExchange exchange, EngineErrors errors) {
		this.exchange = exchange;
		this.errors = errors;
	}

	/** The API version to use: {@code configured}, else the newest both the Engine and docker-java speak. */
	String apiVersion(@Nullable String configured) throws IOException {
		if (configured != null) {
			return configured;
		}
		// The unversioned path: the Engine answers it whatever versions it speaks.
		HttpAnswer answer = require(this.exchange.exchange("GET", "/version", null), "the Docker Engine");
		return DockerEngine.choose(EngineJson.text(answer.body(), "ApiVersion"),
				EngineJson.text(answer.body(), "MinAPIVersion"));
	}

	/** The image's working directory; {@link Image#present()} is false when the Engine does not have it. */
	Image inspectImage(String version, String image) throws IOException {
		HttpAnswer answer = this.exchange.exchange("GET",
				"/v" + version + "/images/" + PercentEncoding.encode(image) + "/json", null);
		if (answer.status() == 404) {
			return new Image(false, null);
		}
		require(answer, "image '" + image + "'");
		return new Image(true, EngineJson.text(answer.body(), "Config", "WorkingDir"));
	}

	/** Makes the container; answers its id. */
	String create(String version, ContainerSpec spec, String subject) throws IOException {
		HttpAnswer answer = require(
				this.exchange.exchange("POST", "/v" + version + "/containers/create", CreateContainerJson.of(spec)),
				subject);
		String id = EngineJson.text(answer.body(), "Id");
		if (id == null || id.isEmpty()) {
			throw new IOException("The Docker Engine made a container for " + subject + " but its answer named none: "
					+ EngineErrors.engineMessage(answer.text()));
		}
		return id;
	}

	void start(String version, String containerId, String subject) throws IOException {
		// 304: already started, which is as good.
		HttpAnswer answer = this.exchange.exchange("POST",
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
		HttpAnswer answer = this.exchange.exchange("DELETE",
				"/v" + version + "/containers/" + PercentEncoding.encode(containerId) + "?force=true&v=true", null);
		if (answer.status() == 404 || (answer.status() == 409 && answer.text().contains("already in progress"))) {
			return;
		}
		require(answer, ContainerExec.subject(containerId));
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
