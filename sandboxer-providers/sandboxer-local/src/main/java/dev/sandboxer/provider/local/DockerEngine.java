package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.sandboxer.error.SandboxerException;
import org.jspecify.annotations.Nullable;

/**
 * The connection to one Docker Engine: docker-java's client over the zero-dependency transport, the threads its
 * blocking calls run on, and the API version both sides speak.
 * <p>
 * <b>API version.</b> docker-java 3.7 asks for API 1.44 by default, which Engines before 25.0 (Debian's docker.io
 * 20.10 speaks 1.41) reject, while Engines from 29.0 reject anything older than 1.44. So the first call asks the
 * Engine, on the unversioned {@code /version} path, which versions it speaks, and uses the newest one both sides
 * know. {@code api-version} (or {@code DOCKER_API_VERSION}) skips the question.
 * <p>
 * <b>Threads.</b> docker-java blocks, so every call runs on this engine's executor (named daemon threads, so a
 * forgotten client never keeps a JVM alive) and completes a future from there. Timers (command timeouts, polling for
 * background commands) run on one scheduler thread and only hand work to the executor.
 * <p>
 * <b>Laziness.</b> docker-java's configuration and transport take more than a second to set up (its TLS support
 * loads Bouncy Castle), so they are made on the first call, on an engine thread, and never on the path that starts
 * an application.
 */
final class DockerEngine implements AutoCloseable {

	/** The newest API version whose models docker-java 3.7.1 knows. */
	private static final RemoteApiVersion NEWEST_KNOWN = RemoteApiVersion.VERSION_1_44;

	private final LocalSettings settings;

	private volatile @Nullable Transport transport;

	private final ExecutorService executor;

	private final ScheduledExecutorService scheduler;

	private final EngineErrors errors;

	private volatile @Nullable Negotiated negotiated;

	DockerEngine(LocalSettings settings) {
		this.settings = settings;
		this.executor = Executors.newCachedThreadPool(daemonThreads("sandboxer-local-"));
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemonThreads("sandboxer-local-timer-"));
		timers.setRemoveOnCancelPolicy(true);
		this.scheduler = timers;
		this.errors = new EngineErrors(this::dockerHost);
	}

	/** Runs a blocking docker-java call on the engine's threads; failures arrive typed. */
	<T> CompletableFuture<T> call(String subject, EngineCall<T> call) {
		EngineTask<T> task = new EngineTask<>(call, subject);
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.result.completeExceptionally(closed());
		}
		return task.result;
	}

	/** The docker-java client, negotiating the API version on first use. Blocks: call it from engine threads. */
	DockerClient client() {
		Negotiated current = this.negotiated;
		return (current != null) ? current.client() : negotiate().client();
	}

	/** Sends a request docker-java has no command for (a HEAD, a hijacked exec), on the negotiated API version. */
	DockerHttpClient.Response send(DockerHttpClient.Request.Builder request, String path) {
		Negotiated current = (this.negotiated != null) ? this.negotiated : negotiate();
		return transport().http().execute(request.path("/v" + current.apiVersion() + path).build());
	}

	/** Fails with the typed error for an answer whose status is not 2xx; closes it then. */
	DockerHttpClient.Response requireSuccess(DockerHttpClient.Response response, String subject) {
		int status = response.getStatusCode();
		if (status >= 200 && status < 300) {
			return response;
		}
		try (response) {
			throw this.errors.fromStatus(status, EngineErrors.engineMessage(readBody(response)), subject, null);
		}
	}

	EngineErrors errors() {
		return this.errors;
	}

	ExecutorService executor() {
		return this.executor;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/** The Engine's address: as resolved once connected, else as configured. Never connects. */
	String dockerHost() {
		Transport current = this.transport;
		if (current != null) {
			return current.dockerHost();
		}
		return (this.settings.dockerHost() != null) ? this.settings.dockerHost()
				: "the default Docker host (DOCKER_HOST, the Docker context, or unix:///var/run/docker.sock)";
	}

	/** Proves the Engine answers, and says which one it is. */
	Map<String, String> ping() {
		DockerClient client = client();
		client.pingCmd().exec();
		Version version = client.versionCmd().exec();
		Map<String, String> details = new LinkedHashMap<>();
		details.put("dockerHost", dockerHost());
		details.put("engineVersion", String.valueOf(version.getVersion()));
		details.put("engineApiVersion", String.valueOf(version.getApiVersion()));
		details.put("apiVersion", apiVersion());
		details.put("os", version.getOperatingSystem() + "/" + version.getArch());
		return details;
	}

	/** The API version in use (negotiating it if needed). */
	String apiVersion() {
		Negotiated current = this.negotiated;
		return (current != null) ? current.apiVersion() : negotiate().apiVersion();
	}

	SandboxerException closed() {
		return new SandboxerException(EngineErrors.PROVIDER, "The local provider is closed", null);
	}

	private synchronized Negotiated negotiate() {
		Negotiated current = this.negotiated;
		if (current != null) {
			return current;
		}
		Transport connection = transport();
		String version = this.settings.apiVersion();
		if (version == null) {
			// An unversioned client, only for this question: the Engine answers /version whatever it speaks.
			Version answer = DockerClientImpl.getInstance(connection.configBuilder().build(), connection.http())
				.versionCmd()
				.exec();
			version = choose(answer.getApiVersion(), answer.getMinAPIVersion());
		}
		DockerClientConfig config = connection.configBuilder().withApiVersion(version).build();
		current = new Negotiated(DockerClientImpl.getInstance(config, connection.http()), version);
		this.negotiated = current;
		return current;
	}

	private synchronized Transport transport() {
		Transport current = this.transport;
		if (current == null) {
			current = Transport.open(this.settings);
			this.transport = current;
		}
		return current;
	}

	/** The newest version both docker-java and the Engine speak. */
	static String choose(@Nullable String engineVersion, @Nullable String engineMinimum) {
		RemoteApiVersion engine = RemoteApiVersion.parseConfigWithDefault(engineVersion);
		if (engine == RemoteApiVersion.UNKNOWN_VERSION) {
			return NEWEST_KNOWN.getVersion();
		}
		RemoteApiVersion chosen = engine.isGreater(NEWEST_KNOWN) ? NEWEST_KNOWN : engine;
		RemoteApiVersion minimum = RemoteApiVersion.parseConfigWithDefault(engineMinimum);
		if (minimum != RemoteApiVersion.UNKNOWN_VERSION && minimum.isGreater(chosen)) {
			chosen = minimum;
		}
		return chosen.getVersion();
	}

	static String readBody(DockerHttpClient.Response response) {
		try (InputStream body = response.getBody()) {
			return new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			return "(no readable body)";
		}
	}

	/** Releases the connection pool and threads; sandboxes keep running. */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
		for (Runnable pending : this.executor.shutdownNow()) {
			if (pending instanceof EngineTask<?> task) {
				task.result.completeExceptionally(closed());
			}
		}
		try {
			Negotiated current = this.negotiated;
			Transport connection = this.transport;
			if (current != null) {
				current.client().close();
			}
			else if (connection != null) {
				connection.http().close();
			}
		}
		catch (IOException ex) {
			// Nothing is left to release.
		}
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** A blocking docker-java call. */
	@FunctionalInterface
	interface EngineCall<T> {

		T run(DockerClient client) throws Exception;

	}

	private record Negotiated(DockerClient client, String apiVersion) {

	}

	/** docker-java's view of where the Engine is, and the connection pool to it. */
	private record Transport(DefaultDockerClientConfig.Builder configBuilder, String dockerHost,
			DockerHttpClient http) {

		static Transport open(LocalSettings settings) {
			DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
			if (settings.dockerHost() != null) {
				builder.withDockerHost(settings.dockerHost());
			}
			DockerClientConfig unversioned = builder.build();
			DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(unversioned.getDockerHost())
				.sslConfig(unversioned.getSSLConfig())
				.connectionTimeout(settings.connectTimeout())
				.build();
			return new Transport(builder, unversioned.getDockerHost().toString(), http);
		}

	}

	/** One queued call; kept as its own type so that close can fail the calls that never started. */
	private final class EngineTask<T> implements Runnable {

		final CompletableFuture<T> result = new CompletableFuture<>();

		private final EngineCall<T> call;

		private final String subject;

		EngineTask(EngineCall<T> call, String subject) {
			this.call = call;
			this.subject = subject;
		}

		@Override
		public void run() {
			try {
				this.result.complete(this.call.run(client()));
			}
			catch (Throwable ex) {
				this.result.completeExceptionally(DockerEngine.this.errors.map(ex, this.subject));
			}
		}

	}

}
