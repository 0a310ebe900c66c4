package dev.sandboxer.ai;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * The sandbox tools for a model: run a command, read, write and list files, start a background command and read its
 * output. Hand it to a {@code ChatClient} ({@code .defaultToolCallbacks(sandboxTools)}) or expose it as an MCP
 * server's tools. Each call runs in the sandbox of its conversation, which {@link ConversationSandboxes} makes on
 * first use.
 * <p>
 * The callbacks take and return JSON and never throw: a failure, a refused argument or the sandbox limit is a result
 * that says what happened, and a command's non-zero exit is a result like any other.
 */
public final class SandboxTools implements ToolCallbackProvider {

	private final ToolCallback[] callbacks;

	public SandboxTools(ConversationSandboxes sandboxes, ConversationIdResolver conversations,
			SandboxToolsSettings settings) {
		ToolEnvironment environment = new ToolEnvironment(sandboxes, conversations, settings,
				JsonMapper.builder().build());
		List<ToolCallback> offered = new ArrayList<>();
		for (SandboxTool tool : SandboxTool.values()) {
			if (settings.offers(tool)) {
				offered.add(create(tool, environment));
			}
		}
		this.callbacks = offered.toArray(ToolCallback[]::new);
	}

	private static ToolCallback create(SandboxTool tool, ToolEnvironment environment) {
		return switch (tool) {
			case RUN_COMMAND -> new RunCommandTool(environment);
			case READ_FILE -> new ReadFileTool(environment);
			case WRITE_FILE -> new WriteFileTool(environment);
			case LIST_DIRECTORY -> new ListDirectoryTool(environment);
			case START_COMMAND -> new StartCommandTool(environment);
			case READ_COMMAND_OUTPUT -> new ReadCommandOutputTool(environment);
		};
	}

	/** A copy of the callbacks, in the order of {@link SandboxTool}. */
	@Override
	public ToolCallback[] getToolCallbacks() {
		return this.callbacks.clone();
	}

	@Override
	public String toString() {
		List<String> names = new ArrayList<>();
		for (ToolCallback callback : this.callbacks) {
			names.add(callback.getToolDefinition().name());
		}
		return "SandboxTools" + names;
	}

}
