package dev.sandboxer.model;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a command that ran to its end or to its timeout.
 *
 * @param stdout everything the command wrote to standard output, decoded as UTF-8
 * @param stderr everything it wrote to standard error, decoded as UTF-8
 * @param exitCode its exit code; {@code -1} when it was killed at its timeout or the provider gave none
 * @param durationMs wall time from the request to the result, measured by this client
 * @param timedOut whether the command was killed because it ran past its timeout
 * @param error a provider's message about the run itself (not the command's stderr), if it gave one
 */
public record CommandResult(String stdout, String stderr, int exitCode, long durationMs, boolean timedOut,
		@Nullable String error) {

	public CommandResult {
		stdout = (stdout != null) ? stdout : "";
		stderr = (stderr != null) ? stderr : "";
	}

	/** True when the command exited with 0 before its timeout. */
	public boolean isSuccess() {
		return this.exitCode == 0 && !this.timedOut;
	}

}
