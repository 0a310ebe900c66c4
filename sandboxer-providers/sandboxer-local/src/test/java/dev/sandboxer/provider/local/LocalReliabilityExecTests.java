package dev.sandboxer.provider.local;

/** The tests of {@link LocalReliabilityTests} with {@code session: false}: every command through a Docker exec. */
class LocalReliabilityExecTests extends LocalReliabilityTests {

	@Override
	boolean sessions() {
		return false;
	}

}
