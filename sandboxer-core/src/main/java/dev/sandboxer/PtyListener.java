package dev.sandboxer;

/**
 * Receives what a terminal prints. Called on a provider thread, in order; return quickly.
 */
public interface PtyListener {

	/** Drops the output. */
	PtyListener NONE = new PtyListener() {
		@Override
		public void onOutput(byte[] data) {
		}
	};

	/** Raw bytes as the terminal wrote them (escape sequences included). */
	void onOutput(byte[] data);

	/** The terminal's process ended. */
	default void onExit(int exitCode) {
	}

}
