package dev.sandboxer.ai;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;

/** What every sandbox tool shares: the sandboxes, how a call finds its conversation, the limits, the JSON mapper. */
record ToolEnvironment(ConversationSandboxes sandboxes, ConversationIdResolver conversations,
		SandboxToolsSettings settings, JsonMapper json, AtomicBoolean warnedOfMissingConversation) {

	private static final Logger logger = LoggerFactory.getLogger(ToolEnvironment.class);

	ToolEnvironment(ConversationSandboxes sandboxes, ConversationIdResolver conversations,
			SandboxToolsSettings settings, JsonMapper json) {
		this(sandboxes, conversations, settings, json, new AtomicBoolean());
	}

	/** The conversation of a call, or a {@link ToolFailure} the model can show its developer. */
	String conversationId(@Nullable ToolContext toolContext) {
		String id = this.conversations.conversationId(toolContext);
		if (id != null) {
			return id;
		}
		if (this.settings.defaultConversationId() != null) {
			return this.settings.defaultConversationId();
		}
		if (this.warnedOfMissingConversation.compareAndSet(false, true)) {
			// The model cannot fix this; the developer can, so say it once where they look.
			logger.warn("A sandbox tool was called without a conversation id in its tool context and was refused. "
					+ "Pass one with .toolContext(Map.of(key, conversationId)) (the key is "
					+ "sandboxer.ai.conversation-id-key), or set sandboxer.ai.default-conversation-id");
		}
		throw new ToolFailure("no_conversation", "This call carries no conversation id, so no sandbox can be picked "
				+ "for it. The application must pass one in the tool context (or set "
				+ "sandboxer.ai.default-conversation-id to share one sandbox); retrying will not help.");
	}

}
