package dev.sandboxer.provider.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests of {@link LocalCommandTests} with sessions reached through docker-java's hijacked connection, as for an
 * Engine on a tcp host or behind a Docker context, where the socket way is not taken.
 */
class LocalCommandDockerJavaSessionTests extends LocalCommandTests {

	@Override
	boolean overSocket() {
		return false;
	}

	@Test
	void theSandboxesOfTheseTestsKeepOffTheSocket() {
		// What picks docker-java's link for sessions (and its way for creates): without it every test here would run
		// over the socket, proving nothing about docker-java's way.
		assertThat(this.sandboxes.createsOverSocket()).isFalse();
	}

}
