package dev.sandboxer.ai;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.sandboxer.Sandboxer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tools executed by Spring AI's own {@link ToolCallingManager}, as a chat model's tool calls are: the model's
 * calls and the request's tool context in, the tool response message out. No model is needed, the calls are
 * written here as a model would send them.
 */
class ToolCallingManagerDockerTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Sandboxer sandboxer = TestDocker.localSandboxer();

	private final ConversationSandboxes sandboxes = new ConversationSandboxes(this.sandboxer,
			new ConversationSandboxesSettings(5, Duration.ofMinutes(5), Duration.ofMinutes(15), null));

	@AfterEach
	void close() {
		this.sandboxes.close();
		this.sandboxer.close();
	}

	@Test
	void aModelsToolCallsRunInTheConversationsSandboxAndComeBackAsToolResponses() {
		SandboxTools tools = new SandboxTools(this.sandboxes,
				ConversationIdResolver.fromContextKey(ChatMemory.CONVERSATION_ID), SandboxToolsSettings.DEFAULTS);
		String conversation = "manager-" + UUID.randomUUID();
		Prompt prompt = new Prompt(new UserMessage("Write a file and run it."),
				ToolCallingChatOptions.builder()
					.toolCallbacks(tools.getToolCallbacks())
					.toolContext(ChatMemory.CONVERSATION_ID, conversation)
					.build());
		AssistantMessage modelTurn = AssistantMessage.builder()
			.content("")
			.toolCalls(List.of(
					new AssistantMessage.ToolCall("call-1", "function", "write_file",
							"{\"path\": \"/tmp/hi.sh\", \"content\": \"echo hi from $0; exit 5\"}"),
					new AssistantMessage.ToolCall("call-2", "function", "run_command",
							"{\"command\": \"sh /tmp/hi.sh\"}"),
					new AssistantMessage.ToolCall("call-3", "function", "read_file", "{\"path\": \"/nope\"}")))
			.build();

		ToolExecutionResult result = ToolCallingManager.builder()
			.build()
			.executeToolCalls(prompt, new ChatResponse(List.of(new Generation(modelTurn))));

		List<Message> history = result.conversationHistory();
		ToolResponseMessage responses = (ToolResponseMessage) history.get(history.size() - 1);
		assertThat(responses.getResponses()).extracting(ToolResponseMessage.ToolResponse::id)
			.containsExactly("call-1", "call-2", "call-3");
		JsonNode ran = json.readTree(responses.getResponses().get(1).responseData());
		assertThat(ran.get("exit_code").intValue()).isEqualTo(5);
		assertThat(ran.get("stdout").stringValue()).isEqualTo("hi from /tmp/hi.sh\n");
		JsonNode missing = json.readTree(responses.getResponses().get(2).responseData());
		assertThat(missing.get("error").stringValue()).isEqualTo("not_found");
		assertThat(this.sandboxes.sandboxId(conversation)).isPresent();
	}

}
