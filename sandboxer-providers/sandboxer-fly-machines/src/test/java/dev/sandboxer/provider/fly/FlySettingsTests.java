package dev.sandboxer.provider.fly;

// Settings per issue 11 and superfly/fly-go at 22d6e518f42d50a81b4485da918741563354b3d3 (flaps/flaps.go: base URL
// https://api.machines.dev, FLY_FLAPS_BASE_URL); the Machines OpenAPI (superfly/docs 462dcb90) for the paths.

import java.util.Map;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.spi.ProviderRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FlySettingsTests {

	private static ProviderConfig.Builder config(Map<String, String> env) {
		return ProviderConfig.builder().environment(env::get);
	}

	@Test
	void theEnvironmentOfFlysToolsIsTheFallback() {
		FlySettings settings = FlySettings.from(config(Map.of("FLY_APP_NAME", "My-App", "FLY_REGION", "AMS",
				"FLY_FLAPS_BASE_URL", "http://flaps.internal:4280/")).build());
		assertThat(settings.app()).isEqualTo("my-app");
		assertThat(settings.region()).isEqualTo("ams");
		assertThat(settings.apiUrl()).hasToString("http://flaps.internal:4280");
		assertThat(settings.publicHost()).isEqualTo("my-app.fly.dev");
		assertThat(settings.image()).isEqualTo("alpine:latest");
		assertThat(settings.cpuKind()).isEqualTo("shared");
	}

	@Test
	void configuredValuesWinOverTheEnvironment() {
		FlySettings settings = FlySettings.from(config(Map.of("FLY_APP_NAME", "env-app", "FLY_REGION", "ams"))
			.baseUrl("https://machines.example.com")
			.extra("app", "yaml-app")
			.extra("region", "iad")
			.extra("image", "ubuntu:24.04")
			.extra("public_host", "sbx.example.com")
			.build());
		assertThat(settings.app()).isEqualTo("yaml-app");
		assertThat(settings.region()).isEqualTo("iad");
		assertThat(settings.apiUrl()).hasToString("https://machines.example.com");
		assertThat(settings.image()).isEqualTo("ubuntu:24.04");
		assertThat(settings.publicHost()).isEqualTo("sbx.example.com");
	}

	@Test
	void theDefaultsAreFlysOwn() {
		FlySettings settings = FlySettings.from(config(Map.of()).extra("app", "a1").build());
		assertThat(settings.apiUrl()).hasToString("https://api.machines.dev");
		assertThat(settings.region()).isNull();
	}

	@Test
	void aMissingTokenOrAppSaysWhatToSet() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new FlyProviderFactory().create(config(Map.of("FLY_APP_NAME", "a1")).build()))
			.withMessageContaining("api-key")
			.withMessageContaining("FLY_API_TOKEN");
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new FlyProviderFactory().create(config(Map.of("FLY_API_TOKEN", "t0k3n-abcdef")).build()))
			.withMessageContaining("'app'")
			.withMessageContaining("FLY_APP_NAME");
	}

	@Test
	void badValuesAreRefusedAtStartUp() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> FlySettings.from(config(Map.of()).extra("app", "my_app!").build()))
			.withMessageContaining("'app'");
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> FlySettings.from(config(Map.of()).extra("app", "a").extra("region", "eu west").build()))
			.withMessageContaining("'region'");
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> FlySettings.from(config(Map.of()).extra("app", "a").extra("cpu-kind", "gpu").build()))
			.withMessageContaining("'cpu-kind'");
	}

	@Test
	void theFactoryIsFoundThroughServiceLoaderAndDeclaresItsSettings() {
		assertThat(ProviderRegistry.shared().names()).contains(FlyProviderFactory.NAME);
		assertThat(new FlyProviderFactory().settings()).extracting(ProviderSetting::key)
			.containsExactly("api-key", "base-url", "app", "region", "image", "cpu-kind", "public-host");
		assertThat(FlySettings.API_KEY.environmentVariables()).containsExactly("FLY_API_TOKEN");
		assertThat(FlySettings.APP.environmentVariables()).containsExactly("FLY_APP_NAME");
	}

}
