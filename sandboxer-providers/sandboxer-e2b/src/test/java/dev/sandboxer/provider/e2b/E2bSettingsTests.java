package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.util.Map;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Defaults and overrides per the official JS SDK's {@code connectionConfig.ts} (e2b-dev/E2B at b8029973). */
class E2bSettingsTests {

	@Test
	void defaultsFollowTheOfficialSdk() {
		E2bSettings settings = E2bSettings.from(config(Map.of()).build());
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.e2b.app"));
		assertThat(settings.domain()).isEqualTo("e2b.app");
		assertThat(settings.sandboxUrl()).isNull();
		assertThat(settings.envdPort()).isEqualTo(49983);
		assertThat(settings.template()).isEqualTo("base");
	}

	@Test
	void lifetimesAreWholeSecondsWithinTheSpecsInt32() {
		assertThat(ControlPlane.seconds(java.time.Duration.ofMillis(1500))).isEqualTo(2);
		assertThat(ControlPlane.seconds(java.time.Duration.ofSeconds(300))).isEqualTo(300);
		assertThat(ControlPlane.seconds(java.time.Duration.ofMillis(1))).isEqualTo(1);
		assertThat(ControlPlane.seconds(java.time.Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
			.isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void theEnvironmentFillsWhatIsNotConfigured() {
		E2bSettings settings = E2bSettings.from(config(Map.of("E2B_DOMAIN", "example.dev", "E2B_SANDBOX_URL",
				"http://localhost:9000/", "E2B_ENVD_PORT", "5000", "E2B_TEMPLATE_ID", "python")).build());
		assertThat(settings.domain()).isEqualTo("example.dev");
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.example.dev"));
		assertThat(settings.sandboxUrl()).isEqualTo(URI.create("http://localhost:9000"));
		assertThat(settings.envdPort()).isEqualTo(5000);
		assertThat(settings.template()).isEqualTo("python");
	}

	@Test
	void configuredValuesWinOverTheEnvironment() {
		E2bSettings settings = E2bSettings.from(config(Map.of("E2B_DOMAIN", "env.dev", "E2B_API_URL",
				"https://api.env.dev")).baseUrl("https://control.example.com/")
			.extra("envd-domain", "sandboxes.example.com")
			.extra("template", "node")
			.build());
		assertThat(settings.domain()).isEqualTo("sandboxes.example.com");
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://control.example.com"));
		assertThat(settings.template()).isEqualTo("node");
	}

	@Test
	void aBaseUrlSetAloneTakesTheEnvdCallsToo() {
		E2bSettings settings = E2bSettings.from(config(Map.of()).baseUrl("http://localhost:8080/").build());
		assertThat(settings.apiUrl()).isEqualTo(URI.create("http://localhost:8080"));
		assertThat(settings.sandboxUrl()).isEqualTo(URI.create("http://localhost:8080"));
		E2bSettings fromEnvironment = E2bSettings.from(config(Map.of("E2B_API_URL", "http://127.0.0.1:9")).build());
		assertThat(fromEnvironment.sandboxUrl()).isEqualTo(URI.create("http://127.0.0.1:9"));
	}

	@Test
	void aBaseUrlKeepsE2bsLayoutOnAnApiHostWithADomainOrBesideASandboxUrl() {
		assertThat(E2bSettings.from(config(Map.of()).baseUrl("https://api.eu.example").build()).sandboxUrl()).isNull();
		assertThat(E2bSettings.from(config(Map.of()).baseUrl("https://gw.example").extra("domain", "example.dev")
			.build()).sandboxUrl()).isNull();
		assertThat(E2bSettings.from(config(Map.of("E2B_DOMAIN", "example.dev")).baseUrl("https://gw.example").build())
			.sandboxUrl()).isNull();
		assertThat(E2bSettings.from(config(Map.of()).baseUrl("http://localhost:8080")
			.extra("sandbox-url", "http://localhost:9090")
			.build()).sandboxUrl()).isEqualTo(URI.create("http://localhost:9090"));
	}

	@Test
	void aMissingApiKeyNamesTheKeyToSet() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new E2bProviderFactory().create(config(Map.of()).build()))
			.withMessageContaining("'api-key'")
			.withMessageContaining("E2B_API_KEY")
			.satisfies((error) -> assertThat(error.property()).contains("api-key"));
	}

	@Test
	void refusesADomainWithASchemeAndAPortOutOfRange() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> E2bSettings.from(config(Map.of()).extra("domain", "https://e2b.app").build()))
			.satisfies((error) -> assertThat(error.property()).contains("domain"));
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> E2bSettings.from(config(Map.of()).extra("envd-port", "70000").build()))
			.satisfies((error) -> assertThat(error.property()).contains("envd-port"));
	}

	private static ProviderConfig.Builder config(Map<String, String> environment) {
		return ProviderConfig.builder().environment(environment::get);
	}

}
