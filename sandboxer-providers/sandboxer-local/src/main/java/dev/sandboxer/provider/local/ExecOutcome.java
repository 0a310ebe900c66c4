package dev.sandboxer.provider.local;

import dev.sandboxer.model.CommandResult;

/**
 * How a process ended.
 *
 * @param stdout its standard output, decoded as UTF-8
 * @param stderr its standard error, decoded as UTF-8
 * @param exitCode its exit code; {@code -1} when it was killed at its timeout
 * @param timedOut whether it was killed at its timeout
 * @param durationMs wall time from the request to the end
 */
record ExecOutcome(String stdout, String stderr, int exitCode, boolean timedOut, long durationMs) {

	boolean succeeded() {
		return this.exitCode == 0 && !this.timedOut;
	}

	CommandResult toResult() {
		return new CommandResult(this.stdout, this.stderr, this.exitCode, this.durationMs, this.timedOut, null);
	}

}
