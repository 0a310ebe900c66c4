package dev.sandboxer.ai.autoconfigure;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import dev.sandboxer.ai.ConversationSandboxesSettings;
import dev.sandboxer.ai.SandboxTool;
import dev.sandboxer.ai.SandboxToolsSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox tools for AI agents: which provider entry makes the sandboxes, which tools a model gets, and the limits.
 */
@ConfigurationProperties("sandboxer.ai")
public class SandboxerAiProperties {

	/**
	 * Whether to offer the sandbox tools as a ToolCallbackProvider bean (which an MCP server also serves).
	 */
	private boolean enabled;

	/**
	 * The entry of sandboxer.providers whose client makes the agents' sandboxes. Defaults to the default entry.
	 */
	private @Nullable String provider;

	/**
	 * The image or template of the agents' sandboxes. Defaults to the entry's own default.
	 */
	private @Nullable String template;

	/**
	 * The key of the tool context that holds the conversation id, which picks the sandbox. Spring AI's chat memory
	 * key by default, so that .toolContext(Map.of(ChatMemory.CONVERSATION_ID, id)) and the memory advisors agree.
	 */
	private String conversationIdKey = ChatMemory.CONVERSATION_ID;

	/**
	 * The conversation of tool calls whose context names none; they all share its sandbox. Unset, such calls are
	 * refused, which is the safe choice when several users reach the tools.
	 */
	private @Nullable String defaultConversationId;

	/**
	 * The tools to offer: run-command, read-file, write-file, list-directory, start-command, read-command-output.
	 */
	private Set<SandboxTool> tools = EnumSet.allOf(SandboxTool.class);

	/**
	 * Offer only the tools that read (read-file and list-directory), whatever 'tools' says.
	 */
	private boolean readOnly;

	/**
	 * How many conversations may hold a sandbox at once. A conversation beyond them gets a tool result saying so.
	 */
	private int maxSandboxes = ConversationSandboxesSettings.DEFAULTS.maxSandboxes();

	/**
	 * A sandbox no tool used for this long is killed.
	 */
	private Duration idleTimeout = ConversationSandboxesSettings.DEFAULTS.idleTimeout();

	/**
	 * A sandbox is killed this long after it was made, however busy. The provider enforces it too, as the
	 * sandbox's lifetime, even if this application dies.
	 */
	private Duration maxLifetime = ConversationSandboxesSettings.DEFAULTS.maxLifetime();

	/**
	 * How many characters of a command's stdout and of its stderr one result carries, and how many bytes of a file
	 * or of a background command's output. The rest is cut, and the result says so.
	 */
	private int maxOutputChars = SandboxToolsSettings.DEFAULTS.maxOutputChars();

	/**
	 * How long run-command lets a command run when the model gives no timeout.
	 */
	private Duration commandTimeout = SandboxToolsSettings.DEFAULTS.commandTimeout();

	/**
	 * The longest command timeout a model may ask for.
	 */
	private Duration maxCommandTimeout = SandboxToolsSettings.DEFAULTS.maxCommandTimeout();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getProvider() {
		return this.provider;
	}

	public void setProvider(@Nullable String provider) {
		this.provider = provider;
	}

	public @Nullable String getTemplate() {
		return this.template;
	}

	public void setTemplate(@Nullable String template) {
		this.template = template;
	}

	public String getConversationIdKey() {
		return this.conversationIdKey;
	}

	public void setConversationIdKey(String conversationIdKey) {
		this.conversationIdKey = conversationIdKey;
	}

	public @Nullable String getDefaultConversationId() {
		return this.defaultConversationId;
	}

	public void setDefaultConversationId(@Nullable String defaultConversationId) {
		this.defaultConversationId = defaultConversationId;
	}

	public Set<SandboxTool> getTools() {
		return this.tools;
	}

	public void setTools(Set<SandboxTool> tools) {
		this.tools = tools;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public int getMaxSandboxes() {
		return this.maxSandboxes;
	}

	public void setMaxSandboxes(int maxSandboxes) {
		this.maxSandboxes = maxSandboxes;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	public void setMaxLifetime(Duration maxLifetime) {
		this.maxLifetime = maxLifetime;
	}

	public int getMaxOutputChars() {
		return this.maxOutputChars;
	}

	public void setMaxOutputChars(int maxOutputChars) {
		this.maxOutputChars = maxOutputChars;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Duration getMaxCommandTimeout() {
		return this.maxCommandTimeout;
	}

	public void setMaxCommandTimeout(Duration maxCommandTimeout) {
		this.maxCommandTimeout = maxCommandTimeout;
	}

	ConversationSandboxesSettings toSandboxesSettings() {
		return new ConversationSandboxesSettings(this.maxSandboxes, this.idleTimeout, this.maxLifetime, this.template);
	}

	SandboxToolsSettings toToolsSettings() {
		return new SandboxToolsSettings(this.tools, this.readOnly, this.maxOutputChars, this.commandTimeout,
				this.maxCommandTimeout, this.defaultConversationId);
	}

}
