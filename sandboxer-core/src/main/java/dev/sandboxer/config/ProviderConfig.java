package dev.sandboxer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.sandboxer.error.BadConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one provider instance: credential, control-plane URL, default timeout, retries, and
 * provider-specific extras ({@code image}, {@code envdDomain}, {@code workspace}, ...).
 * <p>
 * Immutable. {@link #toString()} never shows the API key or any extra whose name says it is a credential. Extras
 * are found under any spelling of their key: {@code envd_domain}, {@code envd-domain} and {@code envdDomain} are
 * the same extra.
 */
public final class ProviderConfig {

	/** The HTTP timeout when none is set, as in the reference SDKs. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final ProviderConfig EMPTY = builder().build();

	private final @Nullable String apiKey;

	private final @Nullable String baseUrl;

	private final Duration defaultTimeout;

	private final RetrySettings retry;

	private final Map<String, String> extras;

	private final Function<String, @Nullable String> environment;

	private final Map<Class<?>, Object> extensions;

	private ProviderConfig(Builder builder) {
		this.apiKey = blankToNull(builder.apiKey);
		this.baseUrl = (builder.baseUrl != null) ? validUrl(builder.baseUrl, "base-url") : null;
		this.defaultTimeout = builder.defaultTimeout;
		this.retry = builder.retry;
		this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(builder.extras));
		this.environment = builder.environment;
		this.extensions = Map.copyOf(builder.extensions);
	}

	public static ProviderConfig empty() {
		return EMPTY;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds a config from a map, as the Python SDK does: {@code api_key}/{@code apiKey}, {@code base_url}/
	 * {@code baseUrl}, {@code default_timeout} (a duration) or {@code default_timeout_ms} (millis),
	 * {@code retry_max_attempts}; every other key becomes an extra.
	 * @throws BadConfigException if a value cannot be read, naming the key
	 */
	public static ProviderConfig fromMap(Map<String, ?> map) {
		Builder builder = builder();
		map.forEach((key, value) -> {
			if (value == null) {
				return;
			}
			switch (ConfigKeys.canonical(key)) {
				case "apiKey" -> builder.apiKey(String.valueOf(value));
				case "baseUrl" -> builder.baseUrl(String.valueOf(value));
				case "defaultTimeout" -> builder.defaultTimeout(Durations.parse(value, key));
				case "defaultTimeoutMs" -> builder.defaultTimeout(Duration.ofMillis(wholeNumber(value, key)));
				case "retryMaxAttempts" -> builder.retry(new RetrySettings((int) wholeNumber(value, key),
						builder.retry.initialBackoff(), builder.retry.maxBackoff()));
				default -> builder.extra(key, String.valueOf(value));
			}
		});
		return builder.build();
	}

	/** The credential as configured, without falling back to the environment. */
	public Optional<String> apiKey() {
		return Optional.ofNullable(this.apiKey);
	}

	/**
	 * The credential, or the first of these environment variables that is set.
	 * @throws BadConfigException naming {@code api-key} and the variables, when none is set
	 */
	public String requireApiKey(String provider, String... environmentVariables) {
		return apiKey().or(() -> firstEnv(environmentVariables))
			.orElseThrow(() -> new BadConfigException(provider, "api-key",
					"No API key for provider '" + provider + "': set 'api-key'" + orEnv(environmentVariables)));
	}

	/** The control-plane URL as configured, without a trailing slash. */
	public Optional<String> baseUrl() {
		return Optional.ofNullable(this.baseUrl);
	}

	public Duration defaultTimeout() {
		return this.defaultTimeout;
	}

	/**
	 * The timeout of a command whose request sets none: {@code command-timeout}, else 60 seconds, for every
	 * provider.
	 * @throws BadConfigException when it is not a positive duration
	 */
	public Duration commandTimeout() {
		Duration timeout = durationValue(ProviderSetting.COMMAND_TIMEOUT).orElseThrow();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new BadConfigException(null, ProviderSetting.COMMAND_TIMEOUT.key(),
					"'command-timeout' must be positive, got " + timeout);
		}
		return timeout;
	}

	public RetrySettings retry() {
		return this.retry;
	}

	/** Every extra, keyed by its camelCase name. */
	public Map<String, String> extras() {
		return this.extras;
	}

	/** An extra by any spelling of its key. */
	public Optional<String> extra(String key) {
		return Optional.ofNullable(this.extras.get(ConfigKeys.canonical(key)));
	}

	/** An extra, else the first of these environment variables that is set. */
	public Optional<String> extraOrEnv(String key, String... environmentVariables) {
		return extra(key).or(() -> firstEnv(environmentVariables));
	}

	/** An environment variable, through the lookup this config was built with (the process environment by default). */
	public Optional<String> env(String name) {
		return Optional.ofNullable(blankToNull(this.environment.apply(name)));
	}

	/**
	 * The value of a declared setting: as configured ({@code api-key} and {@code base-url} are the credential and the
	 * URL, any other key an extra), else the first of its environment variables that is set, else its default.
	 */
	public Optional<String> value(ProviderSetting setting) {
		Optional<String> configured = switch (setting.key()) {
			case ProviderSetting.API_KEY -> apiKey();
			case ProviderSetting.BASE_URL -> baseUrl();
			default -> extra(setting.key());
		};
		return configured.or(() -> firstEnv(setting.environmentVariables().toArray(String[]::new)))
			.or(() -> Optional.ofNullable(setting.defaultValue()));
	}

	/**
	 * The value of a setting that must be there.
	 * @throws BadConfigException naming the key and its environment variables when none is set
	 */
	public String require(String provider, ProviderSetting setting) {
		return value(setting).orElseThrow(() -> new BadConfigException(provider, setting.key(),
				"Provider '" + provider + "' needs '" + setting.key() + "': set it"
						+ orEnv(setting.environmentVariables().toArray(String[]::new))));
	}

	/** The value of a {@code Duration} setting ({@code 30s}, {@code PT30S}, millis). */
	public Optional<Duration> durationValue(ProviderSetting setting) {
		return value(setting).map((value) -> Durations.parse(value, setting.key()));
	}

	/** The value of a whole-number setting. */
	public Optional<Long> numberValue(ProviderSetting setting) {
		return value(setting).map((value) -> wholeNumber(value, setting.key()));
	}

	/** The value of a URL setting, without its trailing slash. */
	public Optional<String> urlValue(ProviderSetting setting) {
		return value(setting).map((url) -> validUrl(url, setting.key()));
	}

	/**
	 * An object handed to the provider's transport by type, such as the HTTP toolkit's client customizer (proxies,
	 * TLS, instrumentation). Core knows none of these types; it only carries them, so a framework can reach the
	 * transport of every provider without knowing the providers.
	 */
	public <T> Optional<T> extension(Class<T> type) {
		return Optional.ofNullable(this.extensions.get(type)).map(type::cast);
	}

	/** A copy with some settings changed. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.apiKey = this.apiKey;
		builder.baseUrl = this.baseUrl;
		builder.defaultTimeout = this.defaultTimeout;
		builder.retry = this.retry;
		builder.extras.putAll(this.extras);
		builder.environment = this.environment;
		builder.extensions.putAll(this.extensions);
		return builder;
	}

	private Optional<String> firstEnv(String... names) {
		return Arrays.stream(names).map(this::env).flatMap(Optional::stream).findFirst();
	}

	private static String orEnv(String... names) {
		return (names.length == 0) ? "" : " or the environment variable " + String.join(" or ", names);
	}

	private static long wholeNumber(Object value, String key) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		try {
			return Long.parseLong(String.valueOf(value).strip());
		}
		catch (NumberFormatException ex) {
			throw new BadConfigException(null, ConfigKeys.kebab(key), "'" + ConfigKeys.kebab(key)
					+ "' must be a whole number, got '" + (ConfigKeys.isSecret(key) ? "****" : value) + "'");
		}
	}

	private static String validUrl(String url, String key) {
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		try {
			URI uri = new URI(trimmed);
			if (uri.getScheme() == null || uri.getHost() == null
					|| !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
				throw new URISyntaxException(trimmed, "an http or https URL with a host is needed");
			}
		}
		catch (URISyntaxException ex) {
			throw new BadConfigException(null, key,
					"'" + key + "' must be an http(s) URL such as https://api.example.com, got '" + shown(url) + "'");
		}
		return trimmed;
	}

	/**
	 * A URL as it may be echoed in a message: a value with user information, a query or a fragment (where tokens
	 * travel) is cut before them.
	 */
	private static String shown(String url) {
		if (url.contains("@")) {
			return "(a value with credentials, not shown)";
		}
		int cut = url.length();
		for (char marker : new char[] { '?', '#' }) {
			int at = url.indexOf(marker);
			if (at >= 0 && at < cut) {
				cut = at;
			}
		}
		return (cut < url.length()) ? url.substring(0, cut) + "?(query not shown)" : url;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ProviderConfig that && Objects.equals(this.apiKey, that.apiKey)
				&& Objects.equals(this.baseUrl, that.baseUrl) && this.defaultTimeout.equals(that.defaultTimeout)
				&& this.retry.equals(that.retry) && this.extras.equals(that.extras);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.apiKey, this.baseUrl, this.defaultTimeout, this.retry, this.extras);
	}

	@Override
	public String toString() {
		String shownExtras = this.extras.entrySet()
			.stream()
			.map((e) -> e.getKey() + "=" + (ConfigKeys.isSecret(e.getKey()) ? "****" : e.getValue()))
			.collect(Collectors.joining(", ", "{", "}"));
		return "ProviderConfig[apiKey=" + ((this.apiKey != null) ? "****" : "none") + ", baseUrl=" + this.baseUrl
				+ ", defaultTimeout=" + this.defaultTimeout + ", retry=" + this.retry + ", extras=" + shownExtras + "]";
	}

	/** Builds a {@link ProviderConfig}. */
	public static final class Builder {

		private @Nullable String apiKey;

		private @Nullable String baseUrl;

		private Duration defaultTimeout = DEFAULT_TIMEOUT;

		private RetrySettings retry = RetrySettings.DEFAULT;

		private final Map<String, String> extras = new LinkedHashMap<>();

		private Function<String, @Nullable String> environment = System::getenv;

		private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();

		private Builder() {
		}

		/** Hands an object to the provider's transport; see {@link ProviderConfig#extension(Class)}. */
		public <T> Builder extension(Class<T> type, T value) {
			this.extensions.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value")));
			return this;
		}

		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		public Builder baseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		public Builder defaultTimeout(Duration defaultTimeout) {
			if (defaultTimeout == null || defaultTimeout.isNegative() || defaultTimeout.isZero()) {
				throw new BadConfigException(null, "default-timeout",
						"'default-timeout' must be positive, got " + defaultTimeout);
			}
			this.defaultTimeout = defaultTimeout;
			return this;
		}

		public Builder retry(RetrySettings retry) {
			this.retry = Objects.requireNonNull(retry, "retry");
			return this;
		}

		/** A provider-specific setting; the key may be written in any case style. */
		public Builder extra(String key, @Nullable String value) {
			if (value == null) {
				this.extras.remove(ConfigKeys.canonical(key));
			}
			else {
				this.extras.put(ConfigKeys.canonical(key), value);
			}
			return this;
		}

		/**
		 * Where environment variables are read from ({@code E2B_API_KEY} and the like). The process environment by
		 * default; tests and frameworks with their own environment abstraction pass theirs.
		 */
		public Builder environment(Function<String, @Nullable String> environment) {
			this.environment = Objects.requireNonNull(environment, "environment");
			return this;
		}

		/** @throws BadConfigException if the base URL is not an http(s) URL */
		public ProviderConfig build() {
			return new ProviderConfig(this);
		}

	}

}
