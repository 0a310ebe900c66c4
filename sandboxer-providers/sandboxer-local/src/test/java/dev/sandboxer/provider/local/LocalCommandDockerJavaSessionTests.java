package dev.sandboxer.provider.local;

/**
 * The tests of {@link LocalCommandTests} with sessions reached through docker-java's hijacked connection, as for an
 * Engine on a tcp host or behind a Docker context, where the socket way is not taken.
 */
class LocalCommandDockerJavaSessionTests extends LocalCommandTests {

	@Override
	boolean overSocket() {
		return false;
	}

}
