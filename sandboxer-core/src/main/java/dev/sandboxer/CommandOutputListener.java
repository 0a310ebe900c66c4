package dev.sandboxer;

/**
 * Receives a command's output while it runs. Chunks are decoded as UTF-8 without splitting a character across two
 * calls. Called on a provider thread: return quickly and do not call back into the same sandbox from here.
 */
public interface CommandOutputListener {

	/** Does nothing; the output is still collected into the result. */
	CommandOutputListener NONE = new CommandOutputListener() {
	};

	default void onStdout(String chunk) {
	}

	default void onStderr(String chunk) {
	}

}
