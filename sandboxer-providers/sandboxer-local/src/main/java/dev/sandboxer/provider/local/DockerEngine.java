package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import dev.sandboxer.error.ProviderException;
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
 * forgotten client never keeps a JVM alive) and completes a future from there. The executor has at most
 * {@value #MAX_THREADS} threads and {@value #MAX_QUEUED} waiting calls; a call beyond that fails at once with a
 * {@link ProviderException} ({@code engine-busy}) rather than queueing without bound. Cancelling a call's future
 * drops it when it has not started. A call that runs is interrupted only when it was made with
 * {@link #callInterruptibly} (pure waits, such as an image pull): the transport's channels close when their thread
 * is interrupted, so interrupting a create could leave a container made by the Engine whose id never arrived; other
 * calls finish, within their response timeout. Timers (command timeouts, polling for background
 * commands) run on one scheduler thread and only hand work to the executor.
 * <p>
 * <b>Connections.</b> Two pools to the Engine: one for short calls (inspect, create, remove, the archive's
 * {@code HEAD}), as large as the executor and with {@code default-timeout} as its response timeout
 * ({@link ResponseDeadline}), so that an Engine that stops answering fails the call with a
 * {@code ProviderTimeoutException} instead of holding a thread for ever; and one for streams
 * (process output, image pulls, file transfers, terminals), of at most {@value #MAX_STREAMS} connections and without
 * a response timeout, because a command may rightly stay silent for longer than that. Its commands end at their
 * own timeouts instead.
 * <p>
 * <b>Laziness.</b> docker-java's configuration and transport take more than a second to set up (its TLS support
 * loads Bouncy Castle), so they are made on the first call, on an engine thread, and never on the path that starts
 * an application. A create that took the fast path without docker-java starts that set-up in the background
 * ({@link #prepareInBackground}), so that the calls after it wait less for it.
 */
final class DockerEngine implements AutoCloseable {

	/**
	 * The newest API version whose models docker-java 3.7.1 knows. Versions are compared here without docker-java's
	 * {@code RemoteApiVersion}, so that the fast create path ({@link SocketCreate}) can choose one without loading
	 * docker-java.
	 */
	private static final ApiVersion NEWEST_KNOWN = new ApiVersion(1, 44);

	static final int MAX_THREADS = 32;

	static final int MAX_QUEUED = 1024;

	static final int MAX_STREAMS = 256;


	private final LocalSettings settings;

	private volatile @Nullable Transport transport;

	private final ExecutorService executor;

	private final ScheduledExecutorService scheduler;

	private final EngineErrors errors;

	private volatile @Nullable Negotiated negotiated;

	private final AtomicBoolean preparing = new AtomicBoolean();

	/** An API version chosen by the fast create path, the same way negotiation would; used once, if at all. */
	private volatile @Nullable String chosenElsewhere;

	DockerEngine(LocalSettings settings) {
		this.settings = settings;
		ThreadPoolExecutor workers = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(MAX_QUEUED), daemonThreads("sandboxer-local-"));
		workers.allowCoreThreadTimeOut(true);
		this.executor = workers;
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemonThreads("sandboxer-local-timer-"));
		timers.setRemoveOnCancelPolicy(true);
		this.scheduler = timers;
		this.errors = new EngineErrors(this::dockerHost);
	}

	/**
	 * Runs a blocking docker-java call on the engine's threads; failures arrive typed. Cancelling the future drops
	 * the call or interrupts it.
	 */
	<T> CompletableFuture<T> call(String subject, EngineCall<T> call) {
		return submit(new EngineTask<>(call, null, subject, false));
	}

	/**
	 * Runs a blocking call that does not use docker-java (the fast create path) on the engine's threads, never
	 * interrupted; failures arrive typed as for {@link #call}.
	 */
	<T> CompletableFuture<T> run(String subject, PlainCall<T> call) {
		return submit(new EngineTask<>(null, call, subject, false));
	}

	/**
	 * Starts setting docker-java up (its classes, transport and version question take most of a second in a fresh
	 * JVM) on an engine thread, once, so that the calls after a fast create find it ready or nearly so. A failure
	 * here is left for the next call to meet and report.
	 * @param apiVersion the version the fast create path chose the same way ({@link #choose}), so that docker-java
	 * need not ask again; {@code null} to let it ask
	 */
	void prepareInBackground(@Nullable String apiVersion) {
		if (this.negotiated == null && this.preparing.compareAndSet(false, true)) {
			this.chosenElsewhere = apiVersion;
			call("the Docker Engine", (client) -> null);
		}
	}

	/** Like {@link #call}, but cancelling the future also interrupts the call while it runs: for waits only. */
	<T> CompletableFuture<T> callInterruptibly(String subject, EngineCall<T> call) {
		return submit(new EngineTask<>(call, null, subject, true));
	}

	private <T> CompletableFuture<T> submit(EngineTask<T> task) {
		String subject = task.subject;
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.result.completeExceptionally(this.executor.isShutdown() ? closed() : busy(subject));
		}
		return task.result;
	}

	/** The docker-java client for short calls, negotiating the API version on first use. Blocks. */
	DockerClient client() {
		return negotiated().client();
	}

	/** The docker-java client for streams: process output, pulls. Blocks on first use, as {@link #client()}. */
	DockerClient streamingClient() {
		return negotiated().streams();
	}

	/** Sends a short request docker-java has no command for (a HEAD), on the negotiated API version. */
	DockerHttpClient.Response send(DockerHttpClient.Request.Builder request, String path) {
		Negotiated current = negotiated();
		return transport().http().execute(request.path("/v" + current.apiVersion() + path).build());
	}

	/** Sends a streaming request (a file transfer, a hijacked terminal), without a response timeout. */
	DockerHttpClient.Response sendStreaming(DockerHttpClient.Request.Builder request, String path) {
		Negotiated current = negotiated();
		return transport().streams().execute(request.path("/v" + current.apiVersion() + path).build());
	}

	/**
	 * Starts an exec attached, its stdin fed from {@code input} by the transport's own thread; the answer carries the
	 * exec's output (framed, without a terminal). Fails typed for an answer that is not 2xx. Blocks.
	 */
	DockerHttpClient.Response startAttached(String execId, boolean tty, InputStream input, String subject) {
		DockerHttpClient.Request.Builder start = DockerHttpClient.Request.builder()
			.method(DockerHttpClient.Request.Method.POST)
			.putHeader("Content-Type", "application/json")
			.bodyBytes(("{\"Detach\":false,\"Tty\":" + tty + "}").getBytes(StandardCharsets.US_ASCII))
			.hijackedInput(input);
		return requireSuccess(sendStreaming(start, "/exec/" + PercentEncoding.encode(execId) + "/start"), subject);
	}

	private Negotiated negotiated() {
		Negotiated current = this.negotiated;
		return (current != null) ? current : negotiate();
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

	private static SandboxerException busy(String subject) {
		return new ProviderException(EngineErrors.PROVIDER, "Too many calls to the Docker Engine at once (" + MAX_THREADS
				+ " running, " + MAX_QUEUED + " waiting); refused the call on " + subject, null, "engine-busy", null);
	}

	private synchronized Negotiated negotiate() {
		Negotiated current = this.negotiated;
		if (current != null) {
			return current;
		}
		Transport connection = transport();
		String version = (this.settings.apiVersion() != null) ? this.settings.apiVersion() : this.chosenElsewhere;
		if (version == null) {
			// An unversioned client, only for this question: the Engine answers /version whatever it speaks.
			Version answer = DockerClientImpl.getInstance(connection.configBuilder().build(), connection.http())
				.versionCmd()
				.exec();
			version = choose(answer.getApiVersion(), answer.getMinAPIVersion());
		}
		DockerClientConfig config = connection.configBuilder().withApiVersion(version).build();
		current = new Negotiated(DockerClientImpl.getInstance(config, connection.http()),
				DockerClientImpl.getInstance(config, connection.streams()), version);
		this.negotiated = current;
		return current;
	}

	private synchronized Transport transport() {
		Transport current = this.transport;
		if (current == null) {
			current = Transport.open(this.settings, this.scheduler);
			this.transport = current;
		}
		return current;
	}

	/** The newest version both docker-java and the Engine speak. */
	static String choose(@Nullable String engineVersion, @Nullable String engineMinimum) {
		ApiVersion engine = ApiVersion.parse(engineVersion);
		if (engine == null) {
			return NEWEST_KNOWN.toString();
		}
		ApiVersion chosen = engine.isAfter(NEWEST_KNOWN) ? NEWEST_KNOWN : engine;
		ApiVersion minimum = ApiVersion.parse(engineMinimum);
		if (minimum != null && minimum.isAfter(chosen)) {
			chosen = minimum;
		}
		return chosen.toString();
	}

	/** Whether docker-java's models cover a version: one newer than it knows is left to docker-java's own path. */
	static boolean knownToDockerJava(String version) {
		ApiVersion parsed = ApiVersion.parse(version);
		return parsed != null && !parsed.isAfter(NEWEST_KNOWN);
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
				current.streams().close();
			}
			else if (connection != null) {
				connection.http().close();
				connection.streams().close();
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

	/** An Engine API version, read as docker-java reads them ({@code 1.41}, {@code v1.41}). */
	private record ApiVersion(int major, int minor) {

		private static final Pattern FORMAT = Pattern.compile("v?(\\d{1,6})\\.(\\d{1,6})");

		static @Nullable ApiVersion parse(@Nullable String version) {
			if (version == null) {
				return null;
			}
			Matcher matcher = FORMAT.matcher(version);
			return matcher.matches()
					? new ApiVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))) : null;
		}

		boolean isAfter(ApiVersion other) {
			return (this.major != other.major) ? this.major > other.major : this.minor > other.minor;
		}

		@Override
		public String toString() {
			return this.major + "." + this.minor;
		}

	}

	/** A blocking call that needs no docker-java client. */
	@FunctionalInterface
	interface PlainCall<T> {

		T run() throws Exception;

	}

	private record Negotiated(DockerClient client, DockerClient streams, String apiVersion) {

	}

	/** docker-java's view of where the Engine is, and the two connection pools to it. */
	private record Transport(DefaultDockerClientConfig.Builder configBuilder, String dockerHost,
			DockerHttpClient http, DockerHttpClient streams) {

		static Transport open(LocalSettings settings, ScheduledExecutorService timers) {
			DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
			if (settings.dockerHost() != null) {
				builder.withDockerHost(settings.dockerHost());
			}
			DockerClientConfig unversioned = builder.build();
			SSLConfig tls = UnusedTls.forHost(unversioned.getDockerHost(), unversioned.getSSLConfig());
			DockerHttpClient http = new ResponseDeadline(new StaleConnectionRetry(new ZerodepDockerHttpClient.Builder()
				.dockerHost(unversioned.getDockerHost())
				.sslConfig(tls)
				.connectionTimeout(settings.connectTimeout())
				.responseTimeout(settings.connectTimeout())
				.maxConnections(MAX_THREADS)
				.build(), MAX_THREADS), timers, settings.connectTimeout());
			DockerHttpClient streams = new StaleConnectionRetry(new ZerodepDockerHttpClient.Builder()
				.dockerHost(unversioned.getDockerHost())
				.sslConfig(tls)
				.connectionTimeout(settings.connectTimeout())
				.maxConnections(MAX_STREAMS)
				.build(), MAX_STREAMS);
			return new Transport(builder, unversioned.getDockerHost().toString(), http, streams);
		}

	}

	/**
	 * One queued call; kept as its own type so that close can fail the calls that never started. A cancelled call
	 * that has not started never runs; an interruptible one that runs is interrupted, and its thread's interrupt is
	 * cleared before it takes the next call.
	 */
	private final class EngineTask<T> implements Runnable {

		final CompletableFuture<T> result = new CompletableFuture<>();

		/** A docker-java call, which needs the client set up (negotiated) before it runs; else {@link #plain}. */
		private final @Nullable EngineCall<T> call;

		/** A call without docker-java (the fast create path), which must not set docker-java up on its way. */
		private final @Nullable PlainCall<T> plain;

		final String subject;

		/** Guarded by this: the thread running the call, while it runs. */
		private @Nullable Thread runner;

		EngineTask(@Nullable EngineCall<T> call, @Nullable PlainCall<T> plain, String subject, boolean interruptible) {
			this.call = call;
			this.plain = plain;
			this.subject = subject;
			if (interruptible) {
				this.result.whenComplete((value, error) -> {
					if (this.result.isCancelled()) {
						interruptRunner();
					}
				});
			}
		}

		@Override
		public void run() {
			synchronized (this) {
				if (this.result.isDone()) {
					return;
				}
				this.runner = Thread.currentThread();
			}
			try {
				this.result.complete((this.call != null) ? this.call.run(client()) : this.plain.run());
			}
			catch (Throwable ex) {
				this.result.completeExceptionally(DockerEngine.this.errors.map(ex, this.subject));
			}
			finally {
				synchronized (this) {
					this.runner = null;
					Thread.interrupted();
				}
			}
		}

		private synchronized void interruptRunner() {
			if (this.runner != null) {
				this.runner.interrupt();
			}
		}

	}

}
