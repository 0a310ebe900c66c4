package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.util.Map;

import dev.sandboxer.config.ProviderConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ConnectionConfig.getSandboxUrl} and {@code getHost} of the official JS SDK (e2b-dev/E2B at b8029973). */
class EnvdAddressTests {

	@Test
	void e2bDomainsUseTheSharedSandboxHost() {
		EnvdAddress address = EnvdAddress.of(settings(Map.of()), "sbx1", null);
		assertThat(address.baseUrl()).isEqualTo(URI.create("https://sandbox.e2b.app"));
		assertThat(address.resolve("/process.Process/Start"))
			.isEqualTo(URI.create("https://sandbox.e2b.app/process.Process/Start"));
		assertThat(address.port()).isEqualTo(49983);
	}

	@Test
	void otherDomainsUseThePerSandboxHost() {
		EnvdAddress address = EnvdAddress.of(settings(Map.of("domain", "self.example.com")), "sbx1", null);
		assertThat(address.baseUrl()).isEqualTo(URI.create("https://49983-sbx1.self.example.com"));
	}

	@Test
	void theDomainTheApiReturnedWins() {
		EnvdAddress address = EnvdAddress.of(settings(Map.of()), "sbx1", "eu.example.net");
		assertThat(address.baseUrl()).isEqualTo(URI.create("https://49983-sbx1.eu.example.net"));
		assertThat(address.portUrl(8080)).isEqualTo("https://8080-sbx1.eu.example.net");
	}

	@Test
	void aSandboxUrlTakesEveryEnvdCall() {
		EnvdAddress address = EnvdAddress.of(settings(Map.of("sandbox-url", "http://localhost:7777", "envd-port",
				"1234")), "sbx1", "e2b.app");
		assertThat(address.resolve("/files")).isEqualTo(URI.create("http://localhost:7777/files"));
		assertThat(address.port()).isEqualTo(1234);
		assertThat(address.portUrl(3000)).isEqualTo("https://3000-sbx1.e2b.app");
	}

	private static E2bSettings settings(Map<String, String> extras) {
		ProviderConfig.Builder builder = ProviderConfig.builder().environment((name) -> null);
		extras.forEach(builder::extra);
		return E2bSettings.from(builder.build());
	}

}
