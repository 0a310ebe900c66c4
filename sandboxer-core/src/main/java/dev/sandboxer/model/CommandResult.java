package dev.sandboxer.model;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a command that ran to its end or to its timeout.
 *
 * @param stdout what the command wrote to standard output, decoded as UTF-8, up to the output cap (see
 * {@code truncated})
 * @param stderr what it wrote to standard error, decoded as UTF-8, up to the output cap
 * @param exitCode its exit code; {@code -1} when it was killed at its timeout or the provider gave none
 * @param durationMs wall time from the request to the result, measured by this client
 * @param timedOut whether the command was killed because it ran past its timeout
 * @param error a provider's message about the run itself (not the command's stderr), if it gave one
 * @param truncated whether {@code stdout} or {@code stderr} was cut at the output cap
 * ({@link #DEFAULT_MAX_OUTPUT_CHARS} characters per stream); an output listener still received all of it
 */
public record CommandResult(String stdout, String stderr, int exitCode, long durationMs, boolean timedOut,
		@Nullable String error, boolean truncated) {

	/** How many characters of each stream a result keeps: 1 Mi (about 1 to 4 MiB of memory per stream). */
	public static final int DEFAULT_MAX_OUTPUT_CHARS = 1024 * 1024;

	public CommandResult {
		stdout = (stdout != null) ? stdout : "";
		stderr = (stderr != null) ? stderr : "";
	}

	/** A result whose output was not cut. */
	public CommandResult(String stdout, String stderr, int exitCode, long durationMs, boolean timedOut,
			@Nullable String error) {
		this(stdout, stderr, exitCode, durationMs, timedOut, error, false);
	}

	/** True when the command exited with 0 before its timeout. */
	public boolean isSuccess() {
		return this.exitCode == 0 && !this.timedOut;
	}

	/**
	 * This result with each stream cut to {@code maxChars} characters, {@code truncated} set when anything was cut;
	 * the same result when nothing needs cutting.
	 */
	public CommandResult capped(int maxChars) {
		if (this.stdout.length() <= maxChars && this.stderr.length() <= maxChars) {
			return this;
		}
		return new CommandResult(cut(this.stdout, maxChars), cut(this.stderr, maxChars), this.exitCode,
				this.durationMs, this.timedOut, this.error, true);
	}

	private static String cut(String text, int maxChars) {
		if (text.length() <= maxChars) {
			return text;
		}
		// Never split a surrogate pair: a half character would be invalid UTF-16.
		int end = (maxChars > 0 && Character.isHighSurrogate(text.charAt(maxChars - 1))) ? maxChars - 1 : maxChars;
		return text.substring(0, end);
	}

}
