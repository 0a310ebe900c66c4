package dev.sandboxer.provider.local;

/** The tests of {@link LocalCommandTests} with {@code session: false}: every command through a Docker exec. */
class LocalCommandExecTests extends LocalCommandTests {

	@Override
	boolean sessions() {
		return false;
	}

}
