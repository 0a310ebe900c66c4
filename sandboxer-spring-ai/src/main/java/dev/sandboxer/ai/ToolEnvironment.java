package dev.sandboxer.ai;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;

/** What every sandbox tool shares: the sandboxes, how a call finds its conversation, the limits, the JSON mapper. */
record ToolEnvironment(ConversationSandboxes sandboxes, ConversationIdResolver conversations,
		SandboxToolsSettings settings, JsonMapper json) {

	/** The conversation of a call, or a {@link ToolFailure} the model can show its developer. */
	String conversationId(@Nullable ToolContext toolContext) {
		String id = this.conversations.conversationId(toolContext);
		if (id != null) {
			return id;
		}
		if (this.settings.defaultConversationId() != null) {
			return this.settings.defaultConversationId();
		}
		throw new ToolFailure("no_conversation", "This call carries no conversation id, so no sandbox can be picked "
				+ "for it. The application must pass one in the tool context (or set "
				+ "sandboxer.ai.default-conversation-id to share one sandbox); retrying will not help.");
	}

}
