package dev.sandboxer.provider.daytona;

// Settings as daytonaio/daytona at commit b5a5d9e7 reads them (libs/sdk-typescript/src/Daytona.ts: DAYTONA_API_KEY,
// DAYTONA_API_URL then DAYTONA_SERVER_URL, DAYTONA_TARGET, DAYTONA_ORGANIZATION_ID, default
// https://app.daytona.io/api).

import java.net.URI;
import java.util.Map;
import java.util.ServiceLoader;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaSettingsTests {

	@Test
	void defaultsAreTheOfficialSdks() {
		DaytonaSettings settings = DaytonaSettings.from(ProviderConfig.builder().environment((name) -> null).build());
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://app.daytona.io/api"));
		assertThat(settings.target()).isNull();
		assertThat(settings.organizationId()).isNull();
		assertThat(settings.toolboxBaseUrl()).isNull();
	}

	@Test
	void environmentVariablesAreTheFallback() {
		Map<String, String> env = Map.of("DAYTONA_SERVER_URL", "https://old.example/api", "DAYTONA_TARGET", "eu",
				"DAYTONA_ORGANIZATION_ID", "org-1", "DAYTONA_TOOLBOX_BASE_URL", "https://proxy.example/toolbox/");
		DaytonaSettings settings = DaytonaSettings.from(ProviderConfig.builder().environment(env::get).build());
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://old.example/api"));
		assertThat(settings.target()).isEqualTo("eu");
		assertThat(settings.organizationId()).isEqualTo("org-1");
		assertThat(settings.toolboxBaseUrl()).isEqualTo(URI.create("https://proxy.example/toolbox"));
	}

	@Test
	void configuredValuesWinOverTheEnvironment() {
		Map<String, String> env = Map.of("DAYTONA_API_URL", "https://env.example/api", "DAYTONA_TARGET", "eu");
		DaytonaSettings settings = DaytonaSettings.from(ProviderConfig.fromMap(Map.of("base_url",
				"https://conf.example/api", "target", "us")).toBuilder().environment(env::get).build());
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://conf.example/api"));
		assertThat(settings.target()).isEqualTo("us");
	}

	@Test
	void aMissingKeyNamesTheSettingAndTheVariable() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new DaytonaProviderFactory().create(ProviderConfig.builder().environment((name) -> null)
				.build()))
			.withMessageContaining("api-key")
			.withMessageContaining("DAYTONA_API_KEY");
	}

	@Test
	void theKeyComesFromTheEnvironmentAndNeverShows() {
		SandboxProvider provider = new DaytonaProviderFactory().create(ProviderConfig.builder()
			.environment(Map.of("DAYTONA_API_KEY", "dtn_secret_1234567890")::get)
			.build());
		try {
			assertThat(provider.toString()).doesNotContain("dtn_secret_1234567890").contains("app.daytona.io");
		}
		finally {
			provider.close();
		}
	}

	@Test
	void theFactoryIsFoundThroughServiceLoaderAndDeclaresItsKeys() {
		ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream()
			.map(ServiceLoader.Provider::get)
			.filter((candidate) -> candidate.name().id().equals("daytona"))
			.findFirst()
			.orElseThrow();
		assertThat(factory).isInstanceOf(DaytonaProviderFactory.class);
		assertThat(factory.settings()).extracting(ProviderSetting::key)
			.containsExactly("api-key", "base-url", "target", "organization-id", "toolbox-base-url");
	}

	@Test
	void aLifetimeIsWholeMinutesRoundedUp() {
		assertThat(Lifetimes.minutes(java.time.Duration.ofSeconds(1))).isEqualTo(1);
		assertThat(Lifetimes.minutes(java.time.Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(Lifetimes.minutes(java.time.Duration.ofMillis(60_001))).isEqualTo(2);
		assertThat(Lifetimes.minutes(java.time.Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE / 60);
	}

}
