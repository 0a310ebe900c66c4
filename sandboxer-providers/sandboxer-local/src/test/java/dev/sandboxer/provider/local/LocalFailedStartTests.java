package dev.sandboxer.provider.local;

import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.SandboxerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A container the Engine made but could not start leaves nothing behind, and the create fails typed. The start is
 * made to fail without touching the shared Engine: ports are published on an address this machine does not have
 * (TEST-NET-3, never sent a packet), so the Engine's port proxy cannot bind and the start is refused.
 * <p>
 * Two things remove such a container: the provider's own removal after a failed start, and, on Engines that clean
 * up auto-remove containers whose start failed (Debian's 20.10 does), the Engine itself. This test checks the
 * outcome a user relies on, whichever acts first; with the provider's removal taken out it still passes on 20.10.
 */
class LocalFailedStartTests {

	private static final String ADDRESS_NOT_ON_THIS_MACHINE = "203.0.113.1";

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes(ProviderConfig.builder()
		.extra("image", LocalTestSandboxes.BUSYBOX)
		.extra("port-bind-address", ADDRESS_NOT_ON_THIS_MACHINE)
		.build());

	@Test
	void aContainerThatCannotStartIsRemovedAndTheCreateFailsTyped() {
		String run = UUID.randomUUID().toString();
		assertThatExceptionOfType(SandboxerException.class)
			.isThrownBy(() -> this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX)
				.metadata("failed-start", run)
				.port(8080)
				.build()))
			.withMessageContaining(ADDRESS_NOT_ON_THIS_MACHINE);

		DockerClient docker = this.sandboxes.docker();
		Map<String, String> label = Map.of(SandboxLabels.META_PREFIX + SandboxLabels.encodeKey("failed-start"), run);
		assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()).isEmpty();
	}

}
