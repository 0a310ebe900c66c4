package dev.sandboxer.autoconfigure;

import java.util.function.Consumer;

import dev.sandboxer.spi.ProviderFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SandboxerPropertyFailureAnalyzer}, on the failures a real start-up produces.
 */
class SandboxerPropertyFailureAnalyzerTests {

	private static final String SECRET = "sk-live-0123456789abcdef";

	private final FakeProviderFactory fake = new FakeProviderFactory();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class))
		.withBean(ProviderFactory.class, () -> this.fake);

	@Test
	void unknownTypeShouldNameTheTypePropertyAndTheKnownTypes() {
		analyze((analysis) -> {
			assertThat(analysis.getDescription()).contains("Unknown provider 'e2bb'")
				.contains("fake")
				.contains("Property: sandboxer.providers.prod.type");
			assertThat(analysis.getAction()).contains("'sandboxer.providers.prod.type'");
		}, "sandboxer.providers.prod.type=e2bb", "sandboxer.providers.prod.api-key=" + SECRET);
	}

	@Test
	void unknownTypeTakenFromTheEntryNameShouldStillNameTheTypeProperty() {
		analyze((analysis) -> assertThat(analysis.getDescription())
			.contains("Property: sandboxer.providers.daytona-eu.type"), "sandboxer.providers.daytona-eu.image=x");
	}

	@Test
	void missingApiKeyShouldNameTheKeyPropertyAndTheVariable() {
		analyze((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: sandboxer.providers.fake.api-key")
				.contains(FakeProviderFactory.API_KEY_VARIABLE);
			assertThat(analysis.getAction()).contains("Set 'sandboxer.providers.fake.api-key'");
		}, "sandboxer.providers.fake.image=x");
	}

	@Test
	void malformedBaseUrlShouldNameItAndNeverShowTheKey() {
		analyze((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: sandboxer.providers.fake.base-url")
				.contains("ftp://nowhere");
			assertThat(analysis.getAction()).contains("'sandboxer.providers.fake.base-url'");
		}, "sandboxer.providers.fake.base-url=ftp://nowhere", "sandboxer.providers.fake.api-key=" + SECRET);
	}

	@Test
	void keyPastedIntoTheBaseUrlShouldNotBeShown() {
		analyze((analysis) -> assertThat(analysis.getDescription())
			.contains("Property: sandboxer.providers.fake.base-url"),
				"sandboxer.providers.fake.base-url=https://user:" + SECRET + "@/", "sandboxer.providers.fake.api-key=k");
	}

	@Test
	void misspelledKeyShouldBeNamedWithTheKeysTheProviderReads() {
		analyze((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: sandboxer.providers.fake.poll-intervall")
				.contains("poll-interval, image")
				.doesNotContain(SECRET);
			assertThat(analysis.getAction()).contains("Correct the spelling of 'sandboxer.providers.fake.poll-intervall'");
		}, "sandboxer.providers.fake.poll-intervall=2s", "sandboxer.providers.fake.api-key=" + SECRET);
	}

	@Test
	void nonPositiveTimeoutShouldNameIt() {
		analyze((analysis) -> assertThat(analysis.getDescription())
			.contains("Property: sandboxer.providers.fake.default-timeout"),
				"sandboxer.providers.fake.default-timeout=0s", "sandboxer.providers.fake.api-key=" + SECRET);
	}

	@Test
	void retryAttemptsBelowOneShouldNameTheSharedProperty() {
		analyze((analysis) -> assertThat(analysis.getDescription())
			.contains("Property: sandboxer.retry.max-attempts"), "sandboxer.retry.max-attempts=0",
				"sandboxer.providers.fake.api-key=" + SECRET);
	}

	@Test
	void defaultProviderNamingNoEntryShouldListTheEntries() {
		analyze((analysis) -> assertThat(analysis.getDescription()).contains("Property: sandboxer.default-provider")
			.contains("[fake]"), "sandboxer.default-provider=e2b", "sandboxer.providers.fake.api-key=" + SECRET);
	}

	@Test
	void failureShouldCloseTheProvidersAlreadyBuilt() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.good.type=fake", "sandboxer.providers.good.api-key=k",
					"sandboxer.providers.bad.type=fake")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(this.fake.only().closed).isTrue();
			});
	}

	private void analyze(Consumer<FailureAnalysis> check, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SandboxerPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
			check.accept(analysis);
		});
	}

}
