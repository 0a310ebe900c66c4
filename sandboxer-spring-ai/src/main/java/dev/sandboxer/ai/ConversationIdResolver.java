package dev.sandboxer.ai;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ToolContext;

/**
 * Finds the conversation a tool call belongs to, which picks its sandbox. The default reads one key of the
 * {@link ToolContext}; an MCP server maps its sessions instead, for example.
 */
@FunctionalInterface
public interface ConversationIdResolver {

	/** The conversation of this call, or {@code null} when the context names none. */
	@Nullable String conversationId(@Nullable ToolContext toolContext);

	/**
	 * Reads a key of the tool context, as a {@code ChatClient} call sets it with
	 * {@code .toolContext(Map.of(key, conversationId))}. A blank value counts as none.
	 */
	static ConversationIdResolver fromContextKey(String key) {
		return (toolContext) -> {
			if (toolContext == null) {
				return null;
			}
			Object value = toolContext.getContext().get(key);
			String id = (value != null) ? value.toString() : null;
			return (id != null && !id.isBlank()) ? id : null;
		};
	}

}
