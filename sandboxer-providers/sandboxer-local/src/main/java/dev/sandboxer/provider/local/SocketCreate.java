package dev.sandboxer.provider.local;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.sandboxer.model.CreateSandboxRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and starts a sandbox's container over the Engine's Unix socket without docker-java
 * ({@link SocketEngineCalls}), for the case that matters most to a command-line user: the first create in a fresh
 * JVM, where docker-java's first call alone takes most of a second. Used only where {@link FastCreateRoute} is sure
 * it reaches docker-java's Engine; it steps aside (answers {@code null}) for what it does not do itself: an image
 * that must be pulled, or an API version docker-java does not know. Blocking; run on an engine thread.
 */
final class SocketCreate {

	private static final Logger logger = LoggerFactory.getLogger(SocketCreate.class);

	private final SocketEngineCalls calls;

	private final LocalSettings settings;

	SocketCreate(SocketEngineCalls calls, LocalSettings settings) {
		this.calls = calls;
		this.settings = settings;
	}

	/**
	 * Makes and starts the container, recording its id in {@code made} as soon as the Engine answers; a container
	 * that cannot start is removed. Answers {@code null}, having made nothing, when the docker-java way must make it
	 * instead, or when the create was {@code cancelled} before the container was asked for.
	 */
	@Nullable Made create(String image, CreateSandboxRequest request, String subject, AtomicReference<String> made,
			AtomicBoolean cancelled) throws IOException {
		String version = version();
		if (!DockerEngine.knownToDockerJava(version)) {
			return null;
		}
		SocketEngineCalls.Image found = this.calls.inspectImage(version, image, subject);
		if (!found.present() || cancelled.get()) {
			return null;
		}
		Instant now = Instant.now();
		Instant expiresAt = (request.timeout() != null) ? LifetimeKeeper.deadline(now, request.timeout()) : null;
		ContainerSpec spec = ContainerSpec.of(image, request, expiresAt, this.settings.portBindAddress());
		String id = this.calls.create(version, spec, subject);
		made.set(id);
		try {
			this.calls.start(version, id, subject);
		}
		catch (IOException | RuntimeException ex) {
			removeAfterFailedStart(version, id, ex);
			throw ex;
		}
		return new Made(id, now, expiresAt, found.workingDirectory());
	}

	/** Removes a container made for a create that was cancelled; a failure is logged with the way to remove it. */
	void removeAbandoned(String containerId) {
		try {
			this.calls.remove(version(), containerId);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not remove container {}, made for a create that was cancelled: {}. Remove it with "
					+ "'docker rm -f {}'", LocalSandbox.shortId(containerId), ex.getMessage(), containerId);
		}
	}

	private void removeAfterFailedStart(String version, String containerId, Exception startFailure) {
		try {
			this.calls.remove(version, containerId);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not remove container {}, which failed to start ({}): {}. Remove it with "
					+ "'docker rm -f {}'", LocalSandbox.shortId(containerId), startFailure.getMessage(), ex.getMessage(),
					containerId);
			startFailure.addSuppressed(ex);
		}
	}

	/** The Engine's socket calls this path makes; sessions use them too. */
	SocketEngineCalls calls() {
		return this.calls;
	}

	/** The API version this path chose, if it has asked yet. */
	@Nullable String chosenVersion() {
		return this.calls.knownVersion();
	}

	private String version() throws IOException {
		return this.calls.version(this.settings.apiVersion());
	}

	/**
	 * A started container.
	 * @param id its id
	 * @param createdAt when the create began
	 * @param expiresAt its deadline, if it has one
	 * @param workingDirectory its image's working directory
	 */
	record Made(String id, Instant createdAt, @Nullable Instant expiresAt, @Nullable String workingDirectory) {

	}

}
