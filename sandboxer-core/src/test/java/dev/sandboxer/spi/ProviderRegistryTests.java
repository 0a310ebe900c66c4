package dev.sandboxer.spi;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.model.ProviderName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProviderRegistryTests {

	@Test
	void unknownProviderListsTheKnownOnes() {
		ProviderRegistry registry = ProviderRegistry.empty().register(factory("alpha")).register(factory("beta"));
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> registry.create("e2bb", ProviderConfig.empty()))
			.withMessage("Unknown provider 'e2bb'; known providers: alpha, beta")
			.satisfies((ex) -> assertThat(ex.property()).contains("type"));
	}

	@Test
	void namesThatCannotBeProvidersAreBadConfig() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderRegistry.empty().create("no such/thing", ProviderConfig.empty()))
			.withMessageContaining("no such/thing");
	}

	@Test
	void typesAreMatchedWhateverTheirCase() {
		ProviderRegistry registry = ProviderRegistry.empty().register(factory("alpha"));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> registry.create(" ALPHA ", ProviderConfig.empty()))
			.withMessage("alpha was asked to create");
	}

	private static ProviderFactory factory(String name) {
		return new ProviderFactory() {
			@Override
			public ProviderName name() {
				return ProviderName.of(name);
			}

			@Override
			public SandboxProvider create(ProviderConfig config) {
				throw new IllegalStateException(name + " was asked to create");
			}
		};
	}

}
