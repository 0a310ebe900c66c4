package dev.sandboxer.autoconfigure.endpoint;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.FakeProviderFactory;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.KilledSandboxDescriptor;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.ProviderSandboxesDescriptor;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.Result;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxDescriptor;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxLookup;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxesDescriptor;
import dev.sandboxer.spi.ProviderFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link SandboxesEndpointAutoConfiguration} and {@link SandboxesEndpoint}.
 */
class SandboxesEndpointAutoConfigurationTests {

	private final FakeProviderFactory fake = new FakeProviderFactory();

	private final FakeProviderFactory fakeLocal = new FakeProviderFactory("local");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SandboxerAutoConfiguration.class, SandboxesEndpointAutoConfiguration.class))
		.withBean("fakeFactory", ProviderFactory.class, () -> this.fake)
		.withBean("fakeLocalFactory", ProviderFactory.class, () -> this.fakeLocal)
		.withPropertyValues("sandboxer.providers.local.image=busybox", "sandboxer.providers.fake.api-key=k",
				"sandboxer.default-provider=local");

	@Test
	void runWhenNotExposedShouldNotCreateTheEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SandboxesEndpoint.class));
	}

	@Test
	void runWhenExposedShouldListWhatThisApplicationCreatedAndEverythingOnlyWhenAsked() {
		exposed().run((context) -> {
			Sandboxer local = context.getBean(Sandboxer.class);
			Sandbox mine = local.createSandbox();
			Sandbox detached = local.createSandbox();
			detached.detach();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			SandboxesDescriptor own = endpoint.sandboxes(null);
			assertThat(own.scope()).isEqualTo("created-here");
			assertThat(own.providers()).containsOnlyKeys("local", "fake");
			ProviderSandboxesDescriptor localSandboxes = own.providers().get("local");
			assertThat(localSandboxes.type()).isEqualTo("local");
			assertThat(localSandboxes.error()).isNull();
			assertThat(localSandboxes.sandboxes()).extracting(SandboxDescriptor::id).containsExactly(mine.id());
			SandboxesDescriptor all = endpoint.sandboxes(true);
			assertThat(all.scope()).isEqualTo("all");
			assertThat(all.providers().get("local").sandboxes())
				.extracting(SandboxDescriptor::id, SandboxDescriptor::createdHere)
				.containsExactlyInAnyOrder(tuple(mine.id(), true), tuple(detached.id(), false));
		});
	}

	@Test
	void timestampsShouldHaveOneShape() {
		assertThat(SandboxesEndpoint.timestamp(Instant.parse("2026-11-27T00:18:55Z")))
			.isEqualTo("2026-11-27T00:18:55.000Z");
		assertThat(SandboxesEndpoint.timestamp(Instant.parse("2026-11-27T00:18:55.803837605Z")))
			.isEqualTo("2026-11-27T00:18:55.803Z");
	}

	@Test
	void sandboxShouldDescribeOneAndSayWhyWhenThereIsNone() {
		exposed().run((context) -> {
			Sandbox sandbox = context.getBean(Sandboxer.class).createSandbox();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			SandboxLookup found = endpoint.sandbox("local", sandbox.id());
			assertThat(found.result()).isEqualTo(Result.FOUND);
			assertThat(found.sandbox().status()).isEqualTo("running");
			assertThat(found.sandbox().createdHere()).isTrue();
			assertThat(endpoint.sandbox("local", "no-such-sandbox").result()).isEqualTo(Result.NOT_FOUND);
			SandboxLookup unknown = endpoint.sandbox("e2b", sandbox.id());
			assertThat(unknown.result()).isEqualTo(Result.UNKNOWN_PROVIDER);
			assertThat(unknown.reason()).contains("'e2b'", "[local, fake]");
		});
	}

	@Test
	void killShouldKillOnceAndThenReportNotFound() {
		exposed().run((context) -> {
			Sandboxer local = context.getBean(Sandboxer.class);
			Sandbox sandbox = local.createSandbox();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			assertThat(endpoint.kill("local", sandbox.id(), null).killed()).isTrue();
			assertThat(this.fakeLocal.only().sandboxes).doesNotContainKey(sandbox.id());
			assertThat(local.ownedSandboxIds()).isEmpty();
			KilledSandboxDescriptor again = endpoint.kill("local", sandbox.id(), null);
			assertThat(again.killed()).isFalse();
			assertThat(again.result()).isEqualTo("not_found");
			assertThat(endpoint.kill("nowhere", sandbox.id(), null).result()).isEqualTo("unknown_provider");
		});
	}

	@Test
	void killOfASandboxThisApplicationDidNotCreateShouldNeedForce() {
		exposed().run((context) -> {
			Sandbox other = context.getBean(Sandboxer.class).createSandbox();
			other.detach();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			KilledSandboxDescriptor refused = endpoint.kill("local", other.id(), null);
			assertThat(refused.result()).isEqualTo("not_created_here");
			assertThat(refused.reason()).contains("force=true");
			assertThat(this.fakeLocal.only().sandboxes).containsKey(other.id());
			assertThat(endpoint.kill("local", other.id(), true).killed()).isTrue();
			assertThat(this.fakeLocal.only().sandboxes).doesNotContainKey(other.id());
		});
	}

	@Test
	void providerThatDoesNotAnswerShouldEndTheListingWithinTheTimeout() {
		exposed().withPropertyValues("sandboxer.endpoint.timeout=200ms").run((context) -> {
			this.fake.only().listAnswer = new CompletableFuture<>();
			SandboxesDescriptor listing = context.getBean(SandboxesEndpoint.class).sandboxes(true);
			assertThat(listing.providers().get("fake").error()).contains("did not answer within 200 ms");
			assertThat(listing.providers().get("local").error()).isNull();
			assertThat(this.fake.only().listAnswer).isCancelled();
		});
	}

	@Test
	void webExtensionShouldGiveEachResultItsStatus() {
		assertThat(SandboxesEndpointWebExtension.status(Result.NOT_FOUND)).isEqualTo(404);
		assertThat(SandboxesEndpointWebExtension.status(Result.UNKNOWN_PROVIDER)).isEqualTo(404);
		assertThat(SandboxesEndpointWebExtension.status(Result.NOT_CREATED_HERE)).isEqualTo(403);
		assertThat(SandboxesEndpointWebExtension.status(Result.TIMEOUT)).isEqualTo(504);
		assertThat(SandboxesEndpointWebExtension.status(Result.KILLED)).isEqualTo(200);
	}

	private ApplicationContextRunner exposed() {
		return this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sandboxes");
	}

}
