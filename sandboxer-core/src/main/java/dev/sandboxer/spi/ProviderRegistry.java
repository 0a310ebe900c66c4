package dev.sandboxer.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.model.ProviderName;

/**
 * The provider types this JVM knows: those found through {@link ServiceLoader} plus those {@link #register}ed in code.
 * Thread-safe.
 */
public final class ProviderRegistry {

	private static final class Shared {

		static final ProviderRegistry INSTANCE = ProviderRegistry.load(ProviderRegistry.class.getClassLoader());

	}

	private final Map<ProviderName, ProviderFactory> factories = new ConcurrentHashMap<>();

	private ProviderRegistry() {
	}

	/** The registry most callers use, loaded once from this library's class loader. */
	public static ProviderRegistry shared() {
		return Shared.INSTANCE;
	}

	/** A new registry with the factories visible to a class loader. */
	public static ProviderRegistry load(ClassLoader classLoader) {
		ProviderRegistry registry = new ProviderRegistry();
		ServiceLoader.load(ProviderFactory.class, classLoader).forEach(registry::register);
		return registry;
	}

	/** A new registry with no factories at all. */
	public static ProviderRegistry empty() {
		return new ProviderRegistry();
	}

	/** Adds a factory, replacing any of the same type. */
	public ProviderRegistry register(ProviderFactory factory) {
		this.factories.put(factory.name(), factory);
		return this;
	}

	public Optional<ProviderFactory> find(ProviderName name) {
		return Optional.ofNullable(this.factories.get(name));
	}

	/** The known types, sorted. */
	public List<ProviderName> names() {
		return this.factories.keySet().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
	}

	/**
	 * Makes a provider of a type.
	 * @throws BadConfigException for an unknown type (listing the known ones) or a configuration that cannot work
	 */
	public SandboxProvider create(String type, ProviderConfig config) {
		ProviderName name = parse(type);
		ProviderFactory factory = find(name).orElseThrow(() -> new BadConfigException(null, "type",
				"Unknown provider '" + type + "'; known providers: "
						+ names().stream().map(ProviderName::id).collect(Collectors.joining(", "))));
		return factory.create(config);
	}

	private ProviderName parse(String type) {
		try {
			return ProviderName.of(type);
		}
		catch (IllegalArgumentException ex) {
			throw new BadConfigException(null, "type", "Unknown provider '" + type + "': " + ex.getMessage());
		}
	}

}
