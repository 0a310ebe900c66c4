package dev.sandboxer.ai;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What {@link SandboxTools} offers and how much it returns.
 *
 * @param tools the tools to offer
 * @param readOnly offer only the tools that read ({@link SandboxTool#readOnly()}), whatever {@code tools} says
 * @param maxOutputChars how many characters of a command's stdout, of its stderr, of a file or of a background
 * command's output a result carries at most; the rest is cut and the result says so
 * @param commandTimeout how long {@code run_command} lets a command run when the model gives no timeout
 * @param maxCommandTimeout the longest timeout a model may ask for
 * @param defaultConversationId the conversation of calls whose context names none, so that they all share one
 * sandbox; when {@code null} such calls are refused (the safe choice when several users reach the tools)
 */
public record SandboxToolsSettings(Set<SandboxTool> tools, boolean readOnly, int maxOutputChars,
		Duration commandTimeout, Duration maxCommandTimeout, @Nullable String defaultConversationId) {

	/**
	 * Every tool; 16,000 characters of output; a minute for a command unless the model asks for more, up to ten;
	 * a conversation id required.
	 */
	public static final SandboxToolsSettings DEFAULTS = new SandboxToolsSettings(EnumSet.allOf(SandboxTool.class),
			false, 16_000, Duration.ofMinutes(1), Duration.ofMinutes(10), null);

	public SandboxToolsSettings {
		tools = Set.copyOf(tools);
		if (maxOutputChars < 100) {
			throw new IllegalArgumentException("maxOutputChars must be at least 100, got " + maxOutputChars);
		}
		Objects.requireNonNull(commandTimeout, "commandTimeout");
		Objects.requireNonNull(maxCommandTimeout, "maxCommandTimeout");
		if (commandTimeout.toSeconds() < 1 || maxCommandTimeout.compareTo(commandTimeout) < 0) {
			throw new IllegalArgumentException("commandTimeout must be at least a second and maxCommandTimeout at "
					+ "least commandTimeout, got " + commandTimeout + " and " + maxCommandTimeout);
		}
	}

	/** Whether a tool is offered. */
	public boolean offers(SandboxTool tool) {
		return this.tools.contains(tool) && (!this.readOnly || tool.readOnly());
	}

}
