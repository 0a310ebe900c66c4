package dev.sandboxer.starter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import dev.sandboxer.config.ProviderSetting;
import dev.sandboxer.spi.ProviderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an IDE shows for {@code sandboxer.providers.}: the configuration metadata of every jar of the starter, read
 * and merged with Spring Boot's own metadata reader as IDE plug-ins do, against the settings each provider on the
 * class path declares.
 */
class ProviderSettingsMetadataTests {

	private static ConfigurationMetadataRepository metadata;

	private static final List<ProviderFactory> factories = new ArrayList<>();

	@BeforeAll
	static void readEveryJarsMetadata() throws IOException {
		ConfigurationMetadataRepositoryJsonBuilder builder = ConfigurationMetadataRepositoryJsonBuilder.create();
		ClassLoader classLoader = ProviderSettingsMetadataTests.class.getClassLoader();
		List<URL> resources = Collections.list(classLoader.getResources("META-INF/spring-configuration-metadata.json"));
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				builder.withJsonResource(in);
			}
		}
		metadata = builder.build();
		ServiceLoader.load(ProviderFactory.class, classLoader).forEach(factories::add);
	}

	@Test
	void theStarterBringsEveryProviderOfThisRepositoryAndNoOther() {
		assertThat(factories).extracting((factory) -> factory.name().id()).containsExactlyInAnyOrder("local", "e2b", "daytona", "blaxel", "runloop", "fly-machines");
	}

	@Test
	void everyDeclaredSettingOfEveryProviderIsDescribedWithItsType() {
		Map<String, ConfigurationMetadataProperty> properties = metadata.getAllProperties();
		for (ProviderFactory factory : factories) {
			assertThat(factory.settings()).as("settings of %s", factory.name()).isNotEmpty();
			for (ProviderSetting setting : factory.settings()) {
				String name = "sandboxer.providers." + factory.name().id() + "." + setting.key();
				assertThat(properties).as("metadata of %s", name).containsKey(name);
				ConfigurationMetadataProperty property = properties.get(name);
				assertThat(property.getDescription()).as("description of %s", name).isNotBlank();
				assertThat(property.getType()).as("type of %s", name).isEqualTo(setting.type().getName());
				if (setting.defaultValue() != null) {
					assertThat(String.valueOf(property.getDefaultValue())).as("default of %s", name)
						.isEqualTo(setting.defaultValue());
				}
			}
		}
	}

	@Test
	void everyEnvironmentVariableFallbackIsNamedInTheDescription() {
		for (ProviderFactory factory : factories) {
			for (ProviderSetting setting : factory.settings()) {
				String description = metadata.getAllProperties()
					.get("sandboxer.providers." + factory.name().id() + "." + setting.key())
					.getDescription();
				setting.environmentVariables().forEach((variable) -> assertThat(description).contains(variable));
			}
		}
	}

	@Test
	void theKeysEveryEntryTakesAreDescribedByTheAutoConfiguration() {
		Map<String, ConfigurationMetadataProperty> properties = metadata.getAllProperties();
		assertThat(properties).containsKeys("sandboxer.default-provider", "sandboxer.cleanup-on-shutdown",
				"sandboxer.providers");
		assertThat(properties.get("sandboxer.providers").getDescription()).isNotBlank();
	}

}
