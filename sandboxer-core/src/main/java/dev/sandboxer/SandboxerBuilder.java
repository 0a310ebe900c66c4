package dev.sandboxer;

import java.time.Duration;
import java.util.Objects;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.observation.SandboxerObservationConvention;
import dev.sandboxer.spi.ProviderRegistry;
import dev.sandboxer.spi.SandboxProvider;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds a client for one provider instance. {@link #build()} and {@link #buildAsync()} give the two faces of the
 * same client; call one of them, then use {@code async()} or {@code blocking()} for the other.
 */
public final class SandboxerBuilder {

	private final String type;

	private @Nullable String name;

	private ProviderConfig config = ProviderConfig.empty();

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable SandboxerObservationConvention observationConvention;

	private ProviderRegistry providerRegistry = ProviderRegistry.shared();

	private @Nullable SandboxProvider provider;

	private Duration closeTimeout = Duration.ofSeconds(30);

	private boolean killOwnedOnClose = true;

	private @Nullable Duration commandTimeout;

	private int maxOutputChars = CommandResult.DEFAULT_MAX_OUTPUT_CHARS;

	private long maxReadFileBytes = DEFAULT_MAX_READ_FILE_BYTES;

	/** The largest file {@code readFile} returns whole by default: 64 MiB. */
	public static final long DEFAULT_MAX_READ_FILE_BYTES = 64L * 1024 * 1024;

	SandboxerBuilder(String type) {
		if (type == null || type.isBlank()) {
			throw new BadConfigException(null, "type", "A provider type is required, such as 'local' or 'e2b'");
		}
		this.type = type;
	}

	/** The name this instance goes by in metrics, health and logs; the type by default. */
	public SandboxerBuilder name(String name) {
		this.name = name;
		return this;
	}

	public SandboxerBuilder config(ProviderConfig config) {
		this.config = Objects.requireNonNull(config, "config");
		return this;
	}

	/** Where observations go; none are made by default. */
	public SandboxerBuilder observationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
		return this;
	}

	public SandboxerBuilder observationConvention(@Nullable SandboxerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
		return this;
	}

	/** Where provider types are looked up; {@link ProviderRegistry#shared()} by default. */
	public SandboxerBuilder providerRegistry(ProviderRegistry providerRegistry) {
		this.providerRegistry = Objects.requireNonNull(providerRegistry, "providerRegistry");
		return this;
	}

	/** Uses a provider that was already made, instead of asking the registry for one. */
	public SandboxerBuilder provider(SandboxProvider provider) {
		this.provider = Objects.requireNonNull(provider, "provider");
		return this;
	}

	/** How long {@code close()} waits for the kills of owned sandboxes; 30 seconds by default. */
	public SandboxerBuilder closeTimeout(Duration closeTimeout) {
		this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
		return this;
	}

	/**
	 * Whether {@code close()} kills the sandboxes this client created and did not detach; {@code true} by default.
	 * With {@code false}, close lets them run (and logs their ids) and only releases connections and threads.
	 */
	public SandboxerBuilder killOwnedOnClose(boolean killOwnedOnClose) {
		this.killOwnedOnClose = killOwnedOnClose;
		return this;
	}

	/**
	 * The timeout of a command whose request sets none, for every provider; the configuration's
	 * {@code command-timeout} (60 s by default) when not set here.
	 */
	public SandboxerBuilder commandTimeout(Duration commandTimeout) {
		if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
			throw new BadConfigException(null, "command-timeout",
					"'command-timeout' must be positive, got " + commandTimeout);
		}
		this.commandTimeout = commandTimeout;
		return this;
	}

	/**
	 * How many characters of each of a command's streams a {@code CommandResult} keeps
	 * ({@link CommandResult#DEFAULT_MAX_OUTPUT_CHARS} by default); beyond it the result says {@code truncated}.
	 * Output listeners get everything.
	 */
	public SandboxerBuilder maxOutputChars(int maxOutputChars) {
		if (maxOutputChars < 0) {
			throw new BadConfigException(null, "max-output-chars",
					"'max-output-chars' must be zero or positive, got " + maxOutputChars);
		}
		this.maxOutputChars = maxOutputChars;
		return this;
	}

	/** The largest file {@code readFile} returns whole ({@value #DEFAULT_MAX_READ_FILE_BYTES} bytes by default). */
	public SandboxerBuilder maxReadFileBytes(long maxReadFileBytes) {
		if (maxReadFileBytes < 0) {
			throw new BadConfigException(null, "max-read-file-bytes",
					"'max-read-file-bytes' must be zero or positive, got " + maxReadFileBytes);
		}
		this.maxReadFileBytes = maxReadFileBytes;
		return this;
	}

	/** @throws BadConfigException for an unknown provider or a configuration that cannot work */
	public Sandboxer build() {
		return buildAsync().blocking();
	}

	/** @throws BadConfigException for an unknown provider or a configuration that cannot work */
	public AsyncSandboxer buildAsync() {
		SandboxProvider target = (this.provider != null) ? this.provider
				: this.providerRegistry.create(this.type, this.config);
		ProviderName providerName = target.name();
		String instanceName = (this.name != null) ? this.name : providerName.id();
		OperationObserver observer = new OperationObserver(instanceName, providerName, this.observationRegistry,
				this.observationConvention);
		ClientLimits limits = new ClientLimits(
				(this.commandTimeout != null) ? this.commandTimeout : this.config.commandTimeout(), this.maxOutputChars,
				this.maxReadFileBytes);
		return new DefaultAsyncSandboxer(new ClientCore(instanceName, target, observer, this.closeTimeout,
				this.killOwnedOnClose, limits));
	}

}
