package dev.sandboxer.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Sandboxer: one entry under {@code sandboxer.providers} per provider instance.
 */
@ConfigurationProperties("sandboxer")
public class SandboxerProperties {

	/**
	 * Whether to configure Sandboxer at all.
	 */
	private boolean enabled = true;

	/**
	 * Name of the entry under 'sandboxer.providers' whose beans are @Primary. When not set, the only entry is the
	 * default; with several entries and none named, no bean is primary.
	 */
	private @Nullable String defaultProvider;

	/**
	 * Whether closing the application kills the sandboxes it created through these beans and did not detach. When
	 * false, they are left running and their ids are logged.
	 */
	private boolean cleanupOnShutdown = true;

	/**
	 * How long shutdown waits for those kills, for all providers together.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Retries of idempotent calls, for every provider that does not set its own.
	 */
	private final Retry retry = new Retry();

	/**
	 * Health checks of the providers.
	 */
	private final Health health = new Health();

	/**
	 * The 'sandboxes' Actuator endpoint.
	 */
	private final Endpoint endpoint = new Endpoint();

	/**
	 * Provider instances by name. The name qualifies the beans and names the provider in metrics and health. With
	 * no entry at all, a single 'local' provider is configured.
	 */
	private final Map<String, Provider> providers = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getDefaultProvider() {
		return this.defaultProvider;
	}

	public void setDefaultProvider(@Nullable String defaultProvider) {
		this.defaultProvider = defaultProvider;
	}

	public boolean isCleanupOnShutdown() {
		return this.cleanupOnShutdown;
	}

	public void setCleanupOnShutdown(boolean cleanupOnShutdown) {
		this.cleanupOnShutdown = cleanupOnShutdown;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Health getHealth() {
		return this.health;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Map<String, Provider> getProviders() {
		return this.providers;
	}

	/**
	 * One provider instance: the keys every provider takes. Each provider module declares its own keys besides these
	 * (such as 'image' for local or 'template' for e2b); they are read from the same entry and checked against that
	 * declaration.
	 */
	public static class Provider {

		/**
		 * Provider type, such as 'e2b' or 'local'. When not set, the name of this entry is used.
		 */
		private @Nullable String type;

		/**
		 * API key. When not set, the provider reads its usual environment variable (E2B_API_KEY, ...).
		 */
		private @Nullable String apiKey;

		/**
		 * URL of the provider's control-plane API, for a region or a compatible self-hosted service.
		 */
		private @Nullable String baseUrl;

		/**
		 * Timeout of calls that do not set their own.
		 */
		private @Nullable Duration defaultTimeout;

		/**
		 * Timeout of a command whose request sets none; at it the command is killed and its result says timedOut.
		 * 60s when not set.
		 */
		private @Nullable Duration commandTimeout;

		/**
		 * Retries of idempotent calls; unset values come from 'sandboxer.retry'.
		 */
		private final Retry retry = new Retry();

		/**
		 * TLS of the provider's HTTP calls (vendor providers).
		 */
		private final Ssl ssl = new Ssl();

		/**
		 * Proxy of the provider's HTTP calls (vendor providers).
		 */
		private final Proxy proxy = new Proxy();

		public Ssl getSsl() {
			return this.ssl;
		}

		public Proxy getProxy() {
			return this.proxy;
		}

		public @Nullable String getType() {
			return this.type;
		}

		public void setType(@Nullable String type) {
			this.type = type;
		}

		public @Nullable String getApiKey() {
			return this.apiKey;
		}

		public void setApiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(@Nullable Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public @Nullable Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(@Nullable Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * TLS of a provider's HTTP calls.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material, and key material for mutual TLS, the
		 * provider's HTTP client uses instead of the JVM's defaults.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * A proxy for a provider's HTTP calls; HTTPS goes through it with CONNECT.
	 */
	public static class Proxy {

		/**
		 * Kind of proxy.
		 */
		private ProxyType type = ProxyType.HTTP;

		/**
		 * Host of the proxy. When not set, calls go direct.
		 */
		private @Nullable String host;

		/**
		 * Port of the proxy; required with a host.
		 */
		private @Nullable Integer port;

		/**
		 * User name, when the proxy asks for one.
		 */
		private @Nullable String username;

		/**
		 * Password of that user.
		 */
		private @Nullable String password;

		/**
		 * Hosts reached directly, not through the proxy, as in Java's http.nonProxyHosts: 'localhost|*.internal'.
		 */
		private @Nullable String nonProxyHosts;

		public ProxyType getType() {
			return this.type;
		}

		public void setType(ProxyType type) {
			this.type = type;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(@Nullable String nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

	}

	/**
	 * Kinds of proxy.
	 */
	public enum ProxyType {

		/** An HTTP proxy (CONNECT for HTTPS). */
		HTTP,
		/** A SOCKS 5 proxy. */
		SOCKS5

	}

	/**
	 * Retries of calls that are safe to repeat (on 429, 502, 503, 504 and connection resets), with capped
	 * exponential backoff.
	 */
	public static class Retry {

		/**
		 * Attempts in all, the first included; 1 turns retries off.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * Wait before the second attempt.
		 */
		private @Nullable Duration initialBackoff;

		/**
		 * Longest wait between two attempts.
		 */
		private @Nullable Duration maxBackoff;

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(@Nullable Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public @Nullable Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(@Nullable Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * Health checks of the providers.
	 */
	public static class Health {

		/**
		 * How long the result of a remote provider's check is reused, so that health probes do not spend its rate
		 * limit. The local Docker engine is asked every time.
		 */
		private Duration cacheTimeToLive = Duration.ofSeconds(30);

		/**
		 * How long one check may take before the provider is reported down.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Whether a provider that fails its check is DOWN, which fails the application's health (HTTP 503). When
		 * false, it is PROVIDER_DOWN, which shows the failure without failing the application.
		 */
		private boolean allowToFail;

		public boolean isAllowToFail() {
			return this.allowToFail;
		}

		public void setAllowToFail(boolean allowToFail) {
			this.allowToFail = allowToFail;
		}

		public Duration getCacheTimeToLive() {
			return this.cacheTimeToLive;
		}

		public void setCacheTimeToLive(Duration cacheTimeToLive) {
			this.cacheTimeToLive = cacheTimeToLive;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * The 'sandboxes' Actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * How long the endpoint waits for the providers (a listing asks all of them at once); a provider that has not
		 * answered by then is reported as timed out.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
