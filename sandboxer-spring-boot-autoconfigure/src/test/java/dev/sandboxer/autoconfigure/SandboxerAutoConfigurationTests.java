package dev.sandboxer.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.FakeProviderFactory.FakeProvider;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.spi.ProviderFactory;
import dev.sandboxer.spi.ProviderRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SandboxerAutoConfiguration}: which beans exist, how entries bind, what overrides what.
 */
class SandboxerAutoConfigurationTests {

	private final FakeProviderFactory fake = new FakeProviderFactory();

	private final FakeProviderFactory fakeLocal = new FakeProviderFactory("local");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class))
		.withBean("fakeFactory", ProviderFactory.class, () -> this.fake)
		.withBean("fakeLocalFactory", ProviderFactory.class, () -> this.fakeLocal);

	@Test
	void runWithoutEntriesShouldConfigureLocalAlone() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Sandboxers.class).hasSingleBean(Sandboxer.class)
				.hasSingleBean(AsyncSandboxer.class);
			Sandboxers sandboxers = context.getBean(Sandboxers.class);
			assertThat(sandboxers.names()).containsExactly("local");
			assertThat(sandboxers.getDefault().type().id()).isEqualTo("local");
			assertThat(context.getBean(Sandboxer.class)).isSameAs(sandboxers.get("local"));
			assertThat(context.getBean("localSandboxer")).isSameAs(sandboxers.get("local"));
			assertThat(context.getBean(AsyncSandboxer.class).blocking()).isSameAs(sandboxers.get("local"));
		});
	}

	@Test
	void runWithSeveralEntriesShouldRegisterOneQualifiedPairEachAndTheDefaultAsPrimary() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.first.type=fake", "sandboxer.providers.first.api-key=k1",
					"sandboxer.providers.second.type=fake", "sandboxer.providers.second.api-key=k2",
					"sandboxer.default-provider=second")
			.run((context) -> {
				assertThat(context).getBeans(Sandboxer.class).hasSize(2);
				assertThat(context).getBeans(AsyncSandboxer.class).hasSize(2);
				Sandboxer first = qualified(context, Sandboxer.class, "first");
				Sandboxer second = qualified(context, Sandboxer.class, "second");
				assertThat(first.name()).isEqualTo("first");
				assertThat(second.name()).isEqualTo("second");
				assertThat(context.getBean(Sandboxer.class)).isSameAs(second);
				assertThat(qualified(context, AsyncSandboxer.class, "first")).isSameAs(first.async());
				assertThat(context.getBean(AsyncSandboxer.class)).isSameAs(second.async());
				assertThat(context.getBean(Sandboxers.class).all()).containsExactly(Map.entry("first", first),
						Map.entry("second", second));
			});
	}

	@Test
	void runWithSeveralEntriesAndNoDefaultShouldMakeNoneThePrimary() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=k", "sandboxer.providers.local.image=busybox")
			.run((context) -> {
				assertThatExceptionOfType(NoUniqueBeanDefinitionException.class)
					.isThrownBy(() -> context.getBean(Sandboxer.class));
				Sandboxers sandboxers = context.getBean(Sandboxers.class);
				assertThat(sandboxers.defaultName()).isEmpty();
				assertThatExceptionOfType(NoSuchSandboxerException.class).isThrownBy(sandboxers::getDefault)
					.withMessageContaining("sandboxer.default-provider")
					.withMessageContaining("[fake, local]");
			});
	}

	@Test
	void entryTypeShouldDefaultToItsName() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake.api-key=k").run((context) -> {
			Sandboxer sandboxer = context.getBean(Sandboxer.class);
			assertThat(sandboxer.name()).isEqualTo("fake");
			assertThat(sandboxer.type().id()).isEqualTo("fake");
			assertThat(this.fakeLocal.created).isEmpty();
		});
	}

	@Test
	void getWithUnknownNameShouldListTheConfiguredNames() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake.api-key=k").run((context) -> {
			Sandboxers sandboxers = context.getBean(Sandboxers.class);
			assertThatExceptionOfType(NoSuchSandboxerException.class).isThrownBy(() -> sandboxers.get("e2b"))
				.withMessageContaining("'e2b'")
				.withMessageContaining("[fake]")
				.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("e2b"));
		});
	}

	@Test
	void everyKeyShouldReachTheProviderConfig() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.eu.type=fake", "sandboxer.providers.eu.api-key=the-key",
					"sandboxer.providers.eu.base-url=https://api.eu.example/", "sandboxer.providers.eu.default-timeout=45s",
					"sandboxer.providers.eu.retry.max-attempts=5", "sandboxer.retry.initial-backoff=1s",
					"sandboxer.providers.eu.image=busybox", "sandboxer.providers.eu.poll-interval=2s",
					"sandboxer.providers.eu.command-timeout=90s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ProviderConfig config = this.fake.only().config;
				assertThat(config.apiKey()).hasValue("the-key");
				assertThat(config.baseUrl()).hasValue("https://api.eu.example");
				assertThat(config.defaultTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(config.retry()).isEqualTo(new RetrySettings(5, Duration.ofSeconds(1),
						RetrySettings.DEFAULT.maxBackoff()));
				assertThat(config.extras()).containsOnlyKeys("pollInterval", "image", "commandTimeout");
				assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(config.extra("image")).hasValue("busybox");
				assertThat(config.durationValue(FakeProviderFactory.POLL_INTERVAL)).hasValue(Duration.ofSeconds(2));
				assertThat(config.toString()).doesNotContain("the-key");
			});
	}

	@Test
	void entryThatSetsOnlyItsProvidersOwnKeysShouldStillBeAnEntry() {
		this.contextRunner.withPropertyValues("sandboxer.providers.local.image=busybox").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Sandboxers.class).names()).containsExactly("local");
			assertThat(this.fakeLocal.only().config.extra("image")).hasValue("busybox");
		});
	}

	@Test
	void relaxedSpellingsOfADeclaredKeyShouldBind() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=k", "sandboxer.providers.fake.pollInterval=3s")
			.run((context) -> assertThat(this.fake.only().config.durationValue(FakeProviderFactory.POLL_INTERVAL))
				.hasValue(Duration.ofSeconds(3)));
	}

	@Test
	void keyTheProviderDoesNotDeclareShouldFailNamingItAndTheValidKeys() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=k", "sandboxer.providers.fake.imge=busybox")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(SandboxerPropertyException.class)
				.hasMessageContaining("'sandboxer.providers.fake.imge' is not a setting of provider type 'fake'")
				.hasMessageContaining("poll-interval, image")
				.satisfies((ex) -> assertThat(((SandboxerPropertyException) ex).property())
					.hasValue("sandboxer.providers.fake.imge")));
	}

	@Test
	void declaredKeyWithAValueOfTheWrongTypeShouldFailNamingIt() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=k", "sandboxer.providers.fake.poll-interval=often")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("sandboxer.providers.fake.poll-interval"));
	}

	@Test
	void providerThatDeclaresNoSettingsShouldBeHandedEveryKeyAsWritten() {
		FakeProviderFactory open = new FakeProviderFactory("open").undeclared();
		this.contextRunner.withBean(ProviderFactory.class, () -> open)
			.withPropertyValues("sandboxer.providers.open.api-key=k", "sandboxer.providers.open.anything=1",
					"sandboxer.providers.open.nested.key=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(open.only().config.extra("anything")).hasValue("1");
				assertThat(open.only().config.extra("nested.key")).hasValue("2");
				assertThat(open.only().config.extras()).hasSize(2);
			});
	}

	@Test
	void unsetKeysShouldKeepTheCoreDefaults() {
		this.contextRunner.run((context) -> {
			ProviderConfig config = this.fakeLocal.only().config;
			assertThat(config.defaultTimeout()).isEqualTo(ProviderConfig.DEFAULT_TIMEOUT);
			assertThat(config.retry()).isEqualTo(RetrySettings.DEFAULT);
			assertThat(config.apiKey()).isEmpty();
			assertThat(config.extras()).isEmpty();
		});
	}

	@Test
	void environmentVariablesShouldBindWithRelaxedNames() {
		Map<String, Object> variables = Map.of("SANDBOXER_PROVIDERS_FAKE_API_KEY", "from-env",
				"SANDBOXER_PROVIDERS_FAKE_DEFAULTTIMEOUT", "12s", "SANDBOXER_CLEANUPONSHUTDOWN", "false",
				"SANDBOXER_PROVIDERS_FAKE_POLL_INTERVAL", "7s", "SANDBOXER_PROVIDERS_FAKE_RETRY_MAXATTEMPTS", "2");
		this.contextRunner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)))
			.run((context) -> {
				assertThat(context.getBean(Sandboxers.class).names()).containsExactly("fake");
				ProviderConfig config = this.fake.only().config;
				assertThat(config.apiKey()).hasValue("from-env");
				assertThat(config.defaultTimeout()).isEqualTo(Duration.ofSeconds(12));
				assertThat(config.durationValue(FakeProviderFactory.POLL_INTERVAL)).hasValue(Duration.ofSeconds(7));
				assertThat(config.retry().maxAttempts()).isEqualTo(2);
				assertThat(context.getBean(SandboxerProperties.class).isCleanupOnShutdown()).isFalse();
			});
	}

	@Test
	void providersShouldReadTheirVariablesThroughTheSpringEnvironment() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.image=x", FakeProviderFactory.API_KEY_VARIABLE + "=env-key")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.fake.only().config.requireApiKey("fake", FakeProviderFactory.API_KEY_VARIABLE))
					.isEqualTo("env-key");
			});
	}

	@Test
	void environmentVariableShouldBackNoEntryWhenSeveralHaveItsType() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=first-account", "sandboxer.providers.fake-eu.type=fake",
					"sandboxer.providers.fake-eu.image=x", FakeProviderFactory.API_KEY_VARIABLE + "=env-key")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(SandboxerPropertyException.class, (ex) -> {
						assertThat(ex.property()).hasValue("sandboxer.providers.fake-eu.api-key");
						assertThat(ex.getMessage()).contains("FAKE_API_KEY is set", "2 entries have type 'fake'")
							.doesNotContain("env-key", "first-account");
					});
			});
	}

	@Test
	void entriesOfOneTypeThatSetTheirOwnKeysShouldNotReadTheEnvironment() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=one", "sandboxer.providers.fake-eu.type=fake",
					"sandboxer.providers.fake-eu.api-key=two", FakeProviderFactory.API_KEY_VARIABLE + "=env-key")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.fake.created).hasSize(2)
					.allSatisfy((provider) -> assertThat(provider.config.env(FakeProviderFactory.API_KEY_VARIABLE))
						.isEmpty());
				assertThat(this.fake.created).extracting((provider) -> provider.config.apiKey().orElseThrow())
					.containsExactly("one", "two");
			});
	}

	@Test
	void missingKeyShouldSayTheProviderOnce() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake-nokey.type=fake",
				"sandboxer.providers.fake-nokey.image=x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Sandboxer provider 'fake-nokey' (type 'fake'): No API key: set 'api-key' or the "
						+ "environment variable FAKE_API_KEY"));
	}

	@Test
	void keyFromAnUnsetVariableWithAnEmptyDefaultShouldFailWithTheStartersOwnAnalysis() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake.api-key=${SANDBOXER_TEST_UNSET_KEY:}")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(SandboxerPropertyException.class,
						(ex) -> assertThat(ex.property()).hasValue("sandboxer.providers.fake.api-key")));
	}

	@Test
	void entryBeansShouldBeDefinitionsThatAotCanWrite() {
		this.contextRunner.withPropertyValues("sandboxer.providers.fake.api-key=k").run((context) -> {
			for (String name : List.of("fakeSandboxer", "fakeAsyncSandboxer")) {
				AbstractBeanDefinition definition = (AbstractBeanDefinition) context.getBeanFactory()
					.getBeanDefinition(name);
				assertThat(definition.getInstanceSupplier()).isNull();
				assertThat(definition.getBeanClass()).isEqualTo(SandboxerEntryBeans.class);
				assertThat(definition.getFactoryMethodName()).isNotNull();
				assertThat(definition.getRole()).isEqualTo(SandboxerBeanRegistrar.ENTRY_ROLE);
			}
		});
	}

	@Test
	void runWhenDisabledShouldConfigureNothing() {
		this.contextRunner.withPropertyValues("sandboxer.enabled=false", "sandboxer.providers.fake.api-key=k")
			.run((context) -> assertThat(context).doesNotHaveBean(Sandboxers.class)
				.doesNotHaveBean(Sandboxer.class)
				.doesNotHaveBean(AsyncSandboxer.class)
				.doesNotHaveBean(ProviderRegistry.class)
				.doesNotHaveBean(SandboxerProperties.class));
	}

	@Test
	void backsOffWhenApplicationDefinesSandboxers() {
		Sandboxer own = Sandboxer.builder("fake").name("mine").provider(new FakeProviderFactory().create(
				ProviderConfig.builder().apiKey("k").build())).build();
		this.contextRunner.withPropertyValues("sandboxer.providers.mine.type=fake")
			.withBean(Sandboxers.class, () -> Sandboxers.of(Map.of("mine", own), "mine"))
			.run((context) -> {
				assertThat(context).hasSingleBean(Sandboxers.class);
				assertThat(this.fake.created).isEmpty();
				assertThat(context.getBean(Sandboxer.class)).isSameAs(own);
				assertThat(context.getBean(AsyncSandboxer.class)).isSameAs(own.async());
			});
	}

	@Test
	void applicationBeanNamedAfterAnEntryShouldReplaceThatEntryEverywhere() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.fake.api-key=k", "sandboxer.providers.local.image=busybox")
			.withUserConfiguration(OwnFakeSandboxerConfiguration.class)
			.run((context) -> {
				Sandboxer own = context.getBean("fakeSandboxer", Sandboxer.class);
				assertThat(own.name()).isEqualTo("own");
				assertThat(this.fake.created).isEmpty();
				assertThat(context.getBean(Sandboxers.class).get("fake")).isSameAs(own);
				assertThat(qualified(context, AsyncSandboxer.class, "fake")).isSameAs(own.async());
				assertThat(qualified(context, Sandboxer.class, "local").type().id()).isEqualTo("local");
			});
	}

	@Test
	void applicationPrimarySandboxerShouldStayPrimary() {
		this.contextRunner.withUserConfiguration(PrimarySandboxerConfiguration.class).run((context) -> {
			assertThat(context).getBeans(Sandboxer.class).hasSize(2);
			assertThat(context.getBean(Sandboxer.class).name()).isEqualTo("own");
			assertThat(qualified(context, Sandboxer.class, "local").name()).isEqualTo("local");
		});
	}

	@Test
	void applicationProviderRegistryShouldBeUsed() {
		FakeProviderFactory registered = new FakeProviderFactory("local");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class))
			.withBean(ProviderRegistry.class, () -> ProviderRegistry.empty().register(registered))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(registered.created).hasSize(1);
			});
	}

	@Test
	void clientsShouldReportToTheApplicationObservationRegistry() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.contextRunner.withBean(TestObservationRegistry.class, () -> observations).run((context) -> {
			context.getBean(Sandboxer.class).createSandbox().kill();
			io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
				.hasObservationWithNameEqualTo("sandboxer.operation")
				.that()
				.hasLowCardinalityKeyValue("provider", "local")
				.hasLowCardinalityKeyValue("operation", "create_sandbox");
		});
	}

	@Test
	void closingTheContextShouldKillWhatTheBeansCreatedAndCloseTheProviders() {
		this.contextRunner.run((context) -> {
			Sandboxer sandboxer = context.getBean(Sandboxer.class);
			sandboxer.createSandbox();
			Sandbox detached = sandboxer.createSandbox();
			detached.detach();
			FakeProvider provider = this.fakeLocal.only();
			assertThat(provider.sandboxes).hasSize(2);
			context.close();
			assertThat(provider.sandboxes).containsOnlyKeys(detached.id());
			assertThat(provider.closed).isTrue();
		});
	}

	@Test
	void closingTheContextWithoutCleanupShouldLeaveTheSandboxesRunning() {
		this.contextRunner.withPropertyValues("sandboxer.cleanup-on-shutdown=false").run((context) -> {
			Sandbox sandbox = context.getBean(Sandboxer.class).createSandbox();
			FakeProvider provider = this.fakeLocal.only();
			context.close();
			assertThat(provider.sandboxes).containsOnlyKeys(sandbox.id());
			assertThat(provider.closed).isTrue();
		});
	}

	@Test
	void malformedDurationShouldFailBindingNamingTheProperty() {
		this.contextRunner.withPropertyValues("sandboxer.providers.local.default-timeout=soon")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasRootCauseInstanceOf(IllegalArgumentException.class)
				.satisfies((failure) -> assertThat(findBindException(failure).getName().toString())
					.isEqualTo("sandboxer.providers.local.default-timeout")));
	}

	private static BindException findBindException(Throwable failure) {
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof BindException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).isInstanceOf(BindException.class);
		return (BindException) candidate;
	}

	private static <T> T qualified(AssertableApplicationContext context, Class<T> type, String qualifier) {
		return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), type, qualifier);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFakeSandboxerConfiguration {

		@Bean
		Sandboxer fakeSandboxer() {
			return Sandboxer.builder("fake")
				.name("own")
				.provider(new FakeProviderFactory().create(ProviderConfig.builder().apiKey("k").build()))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimarySandboxerConfiguration {

		@Bean
		@Primary
		Sandboxer ownSandboxer() {
			return Sandboxer.builder("local")
				.name("own")
				.provider(new FakeProviderFactory("local").create(ProviderConfig.empty()))
				.build();
		}

	}

}
