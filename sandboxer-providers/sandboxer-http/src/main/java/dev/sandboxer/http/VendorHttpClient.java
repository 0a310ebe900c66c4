package dev.sandboxer.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import dev.sandboxer.config.ProviderConfig;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.NonBlocking;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client of one provider instance: a {@link WebClient} on Reactor Netty with its own connection pool, the
 * timeouts and retries of the provider's {@link ProviderConfig}, the vendor's error mapping and a {@link Redactor}.
 * <p>
 * Built without Spring Boot's auto-configured {@code WebClient.Builder}, so it works in a plain Java application.
 * Thread-safe; make one per provider instance and {@link #close()} it with the provider. Closing releases the
 * pools' connections; Reactor Netty's shared event loops stay up for other clients.
 * <p>
 * Two bounded pools: one for ordinary calls, one for long-lived streams ({@link HttpCall#longLived()}), so that
 * running commands and terminals, which hold a connection each for as long as they run, cannot starve file and
 * control calls. A call that finds no free connection in time fails with
 * {@link dev.sandboxer.error.ConnectionPoolExhaustedException}. Streamed answers are read off the event loops
 * (see {@link HttpCall#stream()}), so user callbacks never run there.
 */
public final class VendorHttpClient implements AutoCloseable {

	/**
	 * The request attribute holding a call's operation name ({@code ping}, {@code create}), a low-cardinality name
	 * for observations, unlike the URL, which holds sandbox ids.
	 */
	public static final String OPERATION_ATTRIBUTE = VendorHttpClient.class.getName() + ".operation";

	/** Bodies read whole (JSON answers, error bodies) may be this large; streams are not limited by it. */
	public static final int DEFAULT_MAX_IN_MEMORY_BYTES = 16 * 1024 * 1024;

	private final String provider;

	/**
	 * The pools and clients, made on the first call rather than with the provider: Reactor Netty and WebFlux are
	 * about a thousand classes, which an application would otherwise load at start-up for a provider it may call
	 * only later (or, for a health check, once the first probe comes).
	 */
	private final Builder settings;

	private volatile @Nullable Transport transport;

	private boolean closed;

	private final JsonCodec json;

	private final HttpFailures failures;

	private final Redactor redactor;

	private final RetryPolicy retryPolicy;

	private final Duration defaultTimeout;

	private VendorHttpClient(Builder builder) {
		this.provider = builder.provider;
		this.json = builder.json;
		this.redactor = builder.redactor;
		this.failures = new HttpFailures(builder.provider, builder.redactor, builder.vendorErrors,
				java.time.Clock.systemUTC(), builder.maxConnections + " connections for calls and "
						+ builder.maxStreamConnections + " for long-lived streams");
		this.retryPolicy = new RetryPolicy(builder.config.retry());
		this.defaultTimeout = builder.config.defaultTimeout();
		this.settings = builder;
	}

	/** Ordinary calls and long-lived streams each have their pool, so that streams cannot starve calls. */
	private record Transport(ConnectionProvider pool, WebClient webClient, ConnectionProvider streamPool,
			WebClient streamWebClient) {
	}

	private Transport transport() {
		Transport current = this.transport;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("The " + this.provider + " provider is closed");
			}
			if (this.transport == null) {
				ConnectionProvider pool = pool("sandboxer-" + this.provider, this.settings.maxConnections);
				ConnectionProvider streamPool = pool("sandboxer-" + this.provider + "-streams",
						this.settings.maxStreamConnections);
				this.transport = new Transport(pool, webClient(pool, this.settings), streamPool,
						webClient(streamPool, this.settings));
			}
			return this.transport;
		}
	}

	private ConnectionProvider pool(String name, int maxConnections) {
		return ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			// Bounded: past this many waiting calls a new one fails at once instead of queueing.
			.pendingAcquireMaxCount(2 * maxConnections)
			.pendingAcquireTimeout(this.defaultTimeout)
			// Shorter than the keep-alive of common load balancers, so that a pooled connection is rarely one the
			// server already closed: a create must not be retried, so it must not meet a stale connection either.
			.maxIdleTime(Duration.ofSeconds(30))
			.evictInBackground(Duration.ofSeconds(30))
			.build();
	}

	private WebClient webClient(ConnectionProvider connections, Builder builder) {
		HttpClient httpClient = HttpClient.create(connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, this.defaultTimeout.toMillis()))
			.responseTimeout(this.defaultTimeout)
			// Reactor Netty would otherwise resend a request whose connection dropped, create calls included;
			// RetryPolicy decides instead, and only for calls that are safe to repeat.
			.disableRetry(true);
		// Proxies, trust and instrumentation from the application, applied alike to both pools.
		VendorHttpCustomizer customizer = builder.customizer();
		httpClient = customizer.customize(httpClient);
		WebClient.Builder webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(builder.maxInMemoryBytes))
			.defaultHeader(HttpHeaders.USER_AGENT, "sandboxer-java");
		customizer.customize(webClient);
		return webClient.build();
	}

	/**
	 * Whether a thread is a non-blocking one (a Reactor Netty event loop or a Reactor parallel thread): blocking
	 * there would stall every call it serves.
	 */
	public static boolean isEventLoopThread(Thread thread) {
		return thread instanceof NonBlocking;
	}

	/** Starts a client for a provider type ({@code e2b}), with the timeouts and retries of its configuration. */
	public static Builder builder(String provider, ProviderConfig config) {
		return new Builder(provider, config);
	}

	public HttpCall get(URI uri) {
		return call(HttpMethod.GET, uri);
	}

	public HttpCall post(URI uri) {
		return call(HttpMethod.POST, uri);
	}

	public HttpCall delete(URI uri) {
		return call(HttpMethod.DELETE, uri);
	}

	public HttpCall call(HttpMethod method, URI uri) {
		return new HttpCall(this, method, uri);
	}

	public JsonCodec json() {
		return this.json;
	}

	public HttpFailures failures() {
		return this.failures;
	}

	public Redactor redactor() {
		return this.redactor;
	}

	/** The connect and response timeout of every call that does not set its own. */
	public Duration defaultTimeout() {
		return this.defaultTimeout;
	}

	WebClient webClient() {
		return transport().webClient();
	}

	WebClient streamWebClient() {
		return transport().streamWebClient();
	}

	RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	String provider() {
		return this.provider;
	}

	@Override
	public void close() {
		Transport made;
		synchronized (this) {
			this.closed = true;
			made = this.transport;
		}
		if (made != null) {
			made.pool().disposeLater().and(made.streamPool().disposeLater()).block(Duration.ofSeconds(10));
		}
	}

	@Override
	public String toString() {
		return "VendorHttpClient[provider=" + this.provider + ", defaultTimeout=" + this.defaultTimeout + "]";
	}

	/** Builds a {@link VendorHttpClient}. */
	public static final class Builder {

		private final String provider;

		private final ProviderConfig config;

		private JsonCodec json = new JsonCodec();

		private Redactor redactor = new Redactor();

		private VendorErrors vendorErrors;

		private int maxConnections = 100;

		private int maxStreamConnections = 500;

		private int maxInMemoryBytes = DEFAULT_MAX_IN_MEMORY_BYTES;

		private @Nullable VendorHttpCustomizer customizer;

		private Builder(String provider, ProviderConfig config) {
			this.provider = Objects.requireNonNull(provider, "provider");
			this.config = Objects.requireNonNull(config, "config");
			this.vendorErrors = VendorErrors.json(this.json, "code");
		}

		/** The JSON codec to share with the provider; a new one by default. */
		public Builder json(JsonCodec json) {
			this.json = Objects.requireNonNull(json, "json");
			return this;
		}

		/** Where the provider's secrets are registered; a new, empty one by default. */
		public Builder redactor(Redactor redactor) {
			this.redactor = Objects.requireNonNull(redactor, "redactor");
			return this;
		}

		/** How to read the vendor's error bodies; a JSON object with {@code code} and {@code message} by default. */
		public Builder vendorErrors(VendorErrors vendorErrors) {
			this.vendorErrors = Objects.requireNonNull(vendorErrors, "vendorErrors");
			return this;
		}

		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * How many connections long-lived streams ({@link HttpCall#longLived()}: running commands, terminals) may
		 * hold at once, in a pool of their own; 500 by default.
		 */
		public Builder maxStreamConnections(int maxStreamConnections) {
			this.maxStreamConnections = maxStreamConnections;
			return this;
		}

		public Builder maxInMemoryBytes(int maxInMemoryBytes) {
			this.maxInMemoryBytes = maxInMemoryBytes;
			return this;
		}

		/**
		 * Changes the HTTP client as it is built. When none is given, the configuration's
		 * {@link ProviderConfig#extension(Class) extension} of type {@link VendorHttpCustomizer} is used, if any.
		 */
		public Builder customizer(VendorHttpCustomizer customizer) {
			this.customizer = Objects.requireNonNull(customizer, "customizer");
			return this;
		}

		private VendorHttpCustomizer customizer() {
			if (this.customizer != null) {
				return this.customizer;
			}
			return this.config.extension(VendorHttpCustomizer.class).orElseGet(() -> new VendorHttpCustomizer() {
			});
		}

		public VendorHttpClient build() {
			return new VendorHttpClient(this);
		}

	}

}
