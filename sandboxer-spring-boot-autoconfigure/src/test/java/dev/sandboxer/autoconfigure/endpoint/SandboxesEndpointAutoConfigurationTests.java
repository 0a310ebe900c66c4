package dev.sandboxer.autoconfigure.endpoint;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.FakeProviderFactory;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.ProviderSandboxesDescriptor;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxDescriptor;
import dev.sandboxer.spi.ProviderFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
	void runWhenExposedShouldListEveryProvidersSandboxes() {
		exposed().run((context) -> {
			Sandboxer local = context.getBean(Sandboxer.class);
			Sandbox mine = local.createSandbox();
			Sandbox detached = local.createSandbox();
			detached.detach();
			var providers = context.getBean(SandboxesEndpoint.class).sandboxes().providers();
			assertThat(providers).containsOnlyKeys("local", "fake");
			ProviderSandboxesDescriptor localSandboxes = providers.get("local");
			assertThat(localSandboxes.type()).isEqualTo("local");
			assertThat(localSandboxes.error()).isNull();
			assertThat(localSandboxes.sandboxes()).extracting(SandboxDescriptor::id, SandboxDescriptor::createdHere)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(mine.id(), true),
						org.assertj.core.groups.Tuple.tuple(detached.id(), false));
			assertThat(providers.get("fake").sandboxes()).isEmpty();
		});
	}

	@Test
	void sandboxShouldDescribeOneAndReturnNullForAnUnknownId() {
		exposed().run((context) -> {
			Sandbox sandbox = context.getBean(Sandboxer.class).createSandbox();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			SandboxDescriptor descriptor = endpoint.sandbox("local", sandbox.id());
			assertThat(descriptor.status()).isEqualTo("running");
			assertThat(descriptor.createdHere()).isTrue();
			assertThat(endpoint.sandbox("local", "no-such-sandbox")).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.sandbox("e2b", sandbox.id()))
				.withMessageContaining("[local, fake]");
		});
	}

	@Test
	void killShouldKillOnceAndThenReportNotFound() {
		exposed().run((context) -> {
			Sandboxer local = context.getBean(Sandboxer.class);
			Sandbox sandbox = local.createSandbox();
			SandboxesEndpoint endpoint = context.getBean(SandboxesEndpoint.class);
			assertThat(endpoint.kill("local", sandbox.id()).killed()).isTrue();
			assertThat(this.fakeLocal.only().sandboxes).doesNotContainKey(sandbox.id());
			assertThat(local.ownedSandboxIds()).isEmpty();
			assertThat(endpoint.kill("local", sandbox.id()).killed()).isFalse();
		});
	}

	private ApplicationContextRunner exposed() {
		return this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sandboxes");
	}

}
