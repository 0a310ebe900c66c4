package dev.sandboxer.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.SandboxerException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * One sandbox tool as Spring AI calls it: JSON arguments in, a JSON object out. The conversation of the call picks
 * the sandbox. Whatever goes wrong comes back as a result, {@code {"error": ..., "message": ...}}, that tells the model
 * what happened and what it can do; nothing is thrown, and no stack trace reaches the model.
 */
abstract class SandboxToolCallback implements ToolCallback {

	private static final Logger logger = LoggerFactory.getLogger(SandboxToolCallback.class);

	final ToolEnvironment environment;

	private final ToolDefinition definition;

	SandboxToolCallback(ToolEnvironment environment, SandboxTool tool, String description, ToolSchema schema) {
		this.environment = environment;
		this.definition = ToolDefinition.builder()
			.name(tool.toolName())
			.description(description)
			.inputSchema(schema.toJson(environment.json()))
			.build();
	}

	/**
	 * Checks the arguments and returns the work to do in the sandbox, so that bad arguments are refused before a
	 * sandbox is made for them.
	 */
	abstract Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments);

	@Override
	public final ToolDefinition getToolDefinition() {
		return this.definition;
	}

	@Override
	public final String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public final String call(String toolInput, @Nullable ToolContext toolContext) {
		Map<String, Object> result;
		try {
			Function<ConversationSandbox, Map<String, Object>> work = prepare(
					ToolArguments.parse(this.environment.json(), toolInput));
			String conversationId = this.environment.conversationId(toolContext);
			result = this.environment.sandboxes().withSandbox(conversationId, (held) -> runIn(held, work));
		}
		catch (ToolFailure ex) {
			result = error(ex.code(), ex.getMessage());
		}
		catch (SandboxLimitException ex) {
			result = error("sandbox_limit", ex.getMessage() + ". No sandbox was made for this conversation: try again "
					+ "later, when another conversation has ended or its sandbox was idle long enough to be freed.");
		}
		catch (RuntimeException ex) {
			result = describe(ex);
		}
		return this.environment.json().writeValueAsString(result);
	}

	private Map<String, Object> runIn(ConversationSandbox held, Function<ConversationSandbox, Map<String, Object>> work) {
		try {
			return work.apply(held);
		}
		catch (NotFoundException ex) {
			if (isGone(held)) {
				this.environment.sandboxes().forgetGone(held);
				throw new ToolFailure("sandbox_gone", "The sandbox of this conversation is gone (it expired or was "
						+ "killed), and its files and processes with it. The next call starts a new, empty sandbox.");
			}
			throw ex;
		}
	}

	/** Whether a "not found" was about the sandbox itself rather than a path or a process in it. */
	private static boolean isGone(ConversationSandbox held) {
		try {
			held.sandbox().info();
			return false;
		}
		catch (NotFoundException ex) {
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private Map<String, Object> describe(RuntimeException ex) {
		if (ex instanceof NotFoundException) {
			return error("not_found", ex.getMessage());
		}
		if (ex instanceof ProviderTimeoutException) {
			return error("timeout", ex.getMessage() + ". The sandbox host did not answer in time; try again.");
		}
		if (ex instanceof RateLimitException || ex instanceof QuotaExceededException) {
			return error("provider_busy", ex.getMessage() + ". Wait a little before trying again.");
		}
		if (ex instanceof NotSupportedException) {
			return error("not_supported", ex.getMessage());
		}
		if (ex instanceof SandboxerException) {
			// Sandboxer's messages say what failed and never carry credentials.
			return error("sandbox_error", ex.getMessage());
		}
		if (ex instanceof IllegalArgumentException) {
			return error("bad_arguments", ex.getMessage());
		}
		if (ex instanceof IllegalStateException) {
			// The sandboxes are closing, or the conversation was released during this call.
			return error("unavailable", ex.getMessage());
		}
		logger.warn("Tool {} failed", this.definition.name(), ex);
		return error("failed", "The tool failed unexpectedly (" + ex.getClass().getSimpleName()
				+ "); the application's log has the details.");
	}

	static Map<String, Object> error(String code, @Nullable String message) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("error", code);
		result.put("message", (message != null) ? message : code);
		return result;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.definition.name() + "]";
	}

}
