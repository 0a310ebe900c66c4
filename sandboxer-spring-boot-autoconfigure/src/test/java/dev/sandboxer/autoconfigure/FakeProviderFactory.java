package dev.sandboxer.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;
import dev.sandboxer.testing.InMemoryProvider;

/**
 * Makes core's {@link InMemoryProvider}, for testing the wiring without Docker or a vendor, and checks its settings
 * as a vendor provider does: it wants an API key (from {@code api-key} or {@code FAKE_API_KEY}) unless it stands in
 * for {@code local}, it reads a duration extra ({@code poll-interval}), and its ping refuses the key
 * {@code wrong-key}, as a vendor refuses a revoked key.
 */
public final class FakeProviderFactory implements ProviderFactory {

	public static final String API_KEY_VARIABLE = "FAKE_API_KEY";

	private final ProviderName name;

	public final List<FakeProvider> created = new CopyOnWriteArrayList<>();

	public FakeProviderFactory() {
		this("fake");
	}

	public FakeProviderFactory(String name) {
		this.name = ProviderName.of(name);
	}

	@Override
	public ProviderName name() {
		return this.name;
	}

	/** Settings as a provider module declares them; {@code undeclared} makes a factory that declares none. */
	public static final ProviderSetting POLL_INTERVAL = ProviderSetting.of("poll-interval", Duration.class,
			"How often to poll.");

	public static final ProviderSetting IMAGE = ProviderSetting.text("image", "Image of new sandboxes.");

	public static final ProviderSetting API_KEY = ProviderSetting.text(ProviderSetting.API_KEY, "Key.")
		.withEnvironment(API_KEY_VARIABLE);

	private boolean declaresSettings = true;

	/** This factory, declaring no settings, as third-party providers written before declarations do. */
	public FakeProviderFactory undeclared() {
		this.declaresSettings = false;
		return this;
	}

	@Override
	public boolean remote() {
		return !ProviderName.LOCAL.equals(this.name);
	}

	@Override
	public List<ProviderSetting> settings() {
		return this.declaresSettings ? List.of(API_KEY, POLL_INTERVAL, IMAGE) : List.of();
	}

	@Override
	public SandboxProvider create(ProviderConfig config) {
		String apiKey = ProviderName.LOCAL.equals(this.name) ? "" : config.requireApiKey(this.name.id(), API_KEY_VARIABLE);
		config.durationValue(POLL_INTERVAL);
		FakeProvider provider = new FakeProvider(this.name, config, apiKey);
		this.created.add(provider);
		return provider;
	}

	/** The only provider made so far. */
	public FakeProvider only() {
		if (this.created.size() != 1) {
			throw new IllegalStateException("Expected one provider, made " + this.created.size());
		}
		return this.created.get(0);
	}

	/** An in-memory provider that remembers the configuration it was made with. */
	public static final class FakeProvider extends InMemoryProvider {

		public final ProviderConfig config;

		private final String apiKey;

		/** When set, every ping answers with this future instead (a never-completing one stands for a hung engine). */
		public volatile CompletableFuture<Map<String, String>> pingAnswer;

		/** When set, every listing answers with this future instead. */
		public volatile CompletableFuture<List<SandboxInfo>> listAnswer;

		FakeProvider(ProviderName name, ProviderConfig config, String apiKey) {
			super(name);
			this.config = config;
			this.apiKey = apiKey;
		}

		@Override
		public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
			return (this.listAnswer != null) ? this.listAnswer : super.listSandboxes(filter);
		}

		@Override
		public CompletableFuture<Map<String, String>> ping() {
			CompletableFuture<Map<String, String>> answer = super.ping();
			if (this.pingAnswer != null) {
				return this.pingAnswer;
			}
			if ("wrong-key".equals(this.apiKey)) {
				return CompletableFuture.failedFuture(
						new UnauthorizedException(name().id(), "The provider refused the API key (HTTP 401)"));
			}
			return answer;
		}

	}

}
