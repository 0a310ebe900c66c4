/**
 * Sandboxes as tools for AI agents: Spring AI {@link org.springframework.ai.tool.ToolCallback tool callbacks} that
 * run commands and move files in a sandbox, one sandbox per conversation.
 * <p>
 * {@link dev.sandboxer.ai.SandboxTools} is the {@link org.springframework.ai.tool.ToolCallbackProvider} to hand to a
 * {@code ChatClient} or an MCP server; {@link dev.sandboxer.ai.ConversationSandboxes} keeps the sandbox of each
 * conversation, creates it on the first tool call and kills it when idle, too old, released or at shutdown.
 */
@NullMarked
package dev.sandboxer.ai;

import org.jspecify.annotations.NullMarked;
