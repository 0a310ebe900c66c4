package dev.sandboxer.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.error.BadConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProviderConfigTests {

	@Test
	void fromMapAcceptsSnakeAndCamelCaseKeys() {
		ProviderConfig snake = ProviderConfig.fromMap(Map.of("api_key", "k1", "base_url", "https://api.example.com/",
				"default_timeout_ms", 1500, "envd_domain", "example.org"));
		ProviderConfig camel = ProviderConfig.fromMap(Map.of("apiKey", "k1", "baseUrl", "https://api.example.com",
				"defaultTimeoutMs", "1500", "envdDomain", "example.org"));
		assertThat(snake).isEqualTo(camel);
		assertThat(snake.apiKey()).contains("k1");
		assertThat(snake.baseUrl()).contains("https://api.example.com");
		assertThat(snake.defaultTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(snake.extra("envd-domain")).contains("example.org");
		assertThat(snake.extra("ENVD_DOMAIN")).contains("example.org");
	}

	@Test
	void durationsAreReadAsSpringBootReadsThem() {
		assertThat(ProviderConfig.fromMap(Map.of("default_timeout", "45s")).defaultTimeout())
			.isEqualTo(Duration.ofSeconds(45));
		assertThat(ProviderConfig.fromMap(Map.of("defaultTimeout", "PT2M")).defaultTimeout())
			.isEqualTo(Duration.ofMinutes(2));
		assertThat(ProviderConfig.fromMap(Map.of("defaultTimeout", "250")).defaultTimeout())
			.isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void malformedValuesNameTheKeyToFix() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderConfig.fromMap(Map.of("default_timeout", "soon")))
			.withMessageContaining("default-timeout")
			.satisfies((ex) -> assertThat(ex.property()).contains("default-timeout"));
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderConfig.fromMap(Map.of("base_url", "not a url")))
			.satisfies((ex) -> assertThat(ex.property()).contains("base-url"));
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderConfig.builder().baseUrl("ftp://files.example.com").build())
			.withMessageContaining("http(s) URL");
	}

	@Test
	void aUrlWithCredentialsIsNotRepeatedInTheError() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderConfig.builder().baseUrl("ftp://user:hunter2@example.com").build())
			.withMessageNotContaining("hunter2");
	}

	@Test
	void toStringNeverShowsSecrets() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("api_key", "sk-live-123");
		map.put("fly_api_token", "fly-secret");
		map.put("image", "alpine:3.20");
		ProviderConfig config = ProviderConfig.fromMap(map);
		assertThat(config.toString()).doesNotContain("sk-live-123")
			.doesNotContain("fly-secret")
			.contains("alpine:3.20")
			.contains("apiKey=****");
	}

	@Test
	void apiKeyFallsBackToTheEnvironmentInOrder() {
		ProviderConfig config = ProviderConfig.builder()
			.environment(Map.of("SECOND", "from-env")::get)
			.build();
		assertThat(config.requireApiKey("e2b", "FIRST", "SECOND")).isEqualTo("from-env");
		ProviderConfig explicit = config.toBuilder().apiKey("explicit").build();
		assertThat(explicit.requireApiKey("e2b", "FIRST", "SECOND")).isEqualTo("explicit");
	}

	@Test
	void extensionsAreFoundByTypeSurviveToBuilderAndStayOutOfToString() {
		Runnable hook = () -> {
		};
		ProviderConfig config = ProviderConfig.builder().extension(Runnable.class, hook).build();
		assertThat(config.extension(Runnable.class)).containsSame(hook);
		assertThat(config.extension(String.class)).isEmpty();
		assertThat(config.toBuilder().build().extension(Runnable.class)).containsSame(hook);
		assertThat(config.toString()).doesNotContain("Runnable").doesNotContain("Lambda");
	}

	@Test
	void missingApiKeySaysWhatToSet() {
		ProviderConfig config = ProviderConfig.builder().environment((name) -> null).build();
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> config.requireApiKey("e2b", "E2B_API_KEY"))
			.withMessage("No API key for provider 'e2b': set 'api-key' or the environment variable E2B_API_KEY")
			.satisfies((ex) -> assertThat(ex.property()).contains("api-key"));
	}

	@Test
	void blankValuesCountAsUnset() {
		ProviderConfig config = ProviderConfig.builder()
			.apiKey("  ")
			.environment(Map.of("E2B_API_KEY", "")::get)
			.build();
		assertThat(config.apiKey()).isEmpty();
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> config.requireApiKey("e2b", "E2B_API_KEY"));
	}

	@Test
	void typedExtrasRejectWhatTheyCannotRead() {
		ProviderConfig config = ProviderConfig.builder().extra("envd-port", "http").extra("sandbox-url", "nope").build();
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> config.numberValue(ProviderSetting.of("envd-port", Integer.class, "A port.")))
			.withMessageContaining("envd-port");
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> config.urlValue(ProviderSetting.text("sandbox-url", "A URL.")))
			.withMessageContaining("sandbox-url");
	}

}
