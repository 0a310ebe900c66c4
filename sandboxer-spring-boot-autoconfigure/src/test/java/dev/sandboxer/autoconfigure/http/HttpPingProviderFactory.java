package dev.sandboxer.autoconfigure.http;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;
import dev.sandboxer.testing.InMemoryProvider;

/**
 * A provider on the HTTP toolkit, as every vendor provider is built, whose ping is one GET of
 * {@code <base-url>/ping/sb-42?token=t0k3n} (a sandbox id in the path and a token in the query, as vendor URLs hold).
 */
final class HttpPingProviderFactory implements ProviderFactory {

	@Override
	public ProviderName name() {
		return ProviderName.of("httpfake");
	}

	@Override
	public List<ProviderSetting> settings() {
		return List.of(ProviderSetting.text(ProviderSetting.BASE_URL, "Where the vendor is."));
	}

	@Override
	public SandboxProvider create(ProviderConfig config) {
		return new HttpPingProvider(name(), config);
	}

	static final class HttpPingProvider extends InMemoryProvider {

		private final VendorHttpClient http;

		private final URI pingUri;

		HttpPingProvider(ProviderName name, ProviderConfig config) {
			super(name);
			this.http = VendorHttpClient.builder(name.id(), config).build();
			this.pingUri = URI.create(config.baseUrl().orElseThrow() + "/ping/sb-42?token=t0k3n");
		}

		@Override
		public CompletableFuture<Map<String, String>> ping() {
			return this.http.get(this.pingUri)
				.operation("ping")
				.discard()
				.toFuture()
				.thenApply((done) -> Map.of("pinged", "yes"));
		}

		@Override
		public void close() {
			this.http.close();
			super.close();
		}

	}

}
