package dev.sandboxer.ai.autoconfigure;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.ai.ConversationIdResolver;
import dev.sandboxer.ai.ConversationSandboxes;
import dev.sandboxer.ai.SandboxTools;
import dev.sandboxer.ai.TestDocker;
import dev.sandboxer.autoconfigure.NoSuchSandboxerException;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.Sandboxers;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link SandboxerAiAutoConfiguration}: when the tools exist, how they bind, and their shutdown. */
class SandboxerAiAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SandboxerAutoConfiguration.class, SandboxerAiAutoConfiguration.class))
		.withPropertyValues("sandboxer.providers.local.image=" + TestDocker.IMAGE);

	@Test
	void offersNoToolsUnlessEnabled() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Sandboxers.class);
			assertThat(context).doesNotHaveBean(ToolCallbackProvider.class).doesNotHaveBean(ConversationSandboxes.class);
		});
	}

	@Test
	void offersTheToolsAsAToolCallbackProviderWhenEnabled() {
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(ToolCallbackProvider.class).hasSingleBean(SandboxTools.class);
			assertThat(names(context.getBean(ToolCallbackProvider.class))).containsExactly("run_command",
					"read_file", "write_file", "list_directory", "start_command", "read_command_output");
			assertThat(context.getBean(ConversationSandboxes.class).providerName()).isEqualTo("local");
		});
	}

	@Test
	void loadsNothingWithoutSpringAiOnTheClassPath() {
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true")
			.withClassLoader(new FilteredClassLoader(ToolCallback.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Sandboxers.class);
				assertThat(context).doesNotHaveBean(ConversationSandboxes.class)
					.doesNotHaveBean(SandboxerAiProperties.class);
			});
	}

	@Test
	void bindsTheToolsReadOnlyModeAndLimits() {
		this.contextRunner
			.withPropertyValues("sandboxer.ai.enabled=true", "sandboxer.ai.tools=run-command,read_file,LIST_DIRECTORY",
					"sandboxer.ai.max-sandboxes=3", "sandboxer.ai.idle-timeout=90s", "sandboxer.ai.max-lifetime=2h",
					"sandboxer.ai.template=" + TestDocker.IMAGE)
			.run((context) -> {
				assertThat(names(context.getBean(SandboxTools.class))).containsExactly("run_command", "read_file",
						"list_directory");
				ConversationSandboxes sandboxes = context.getBean(ConversationSandboxes.class);
				assertThat(sandboxes.settings().maxSandboxes()).isEqualTo(3);
				assertThat(sandboxes.settings().idleTimeout()).hasSeconds(90);
				assertThat(sandboxes.settings().maxLifetime()).hasHours(2);
				assertThat(sandboxes.settings().template()).isEqualTo(TestDocker.IMAGE);
			});
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true", "sandboxer.ai.read-only=true")
			.run((context) -> assertThat(names(context.getBean(SandboxTools.class))).containsExactly("read_file",
					"list_directory"));
	}

	@Test
	void usesTheNamedEntryAndFailsAtStartUpOnAnUnknownOne() {
		this.contextRunner
			.withPropertyValues("sandboxer.ai.enabled=true", "sandboxer.providers.agents.type=local",
					"sandboxer.providers.agents.image=" + TestDocker.IMAGE, "sandboxer.default-provider=local",
					"sandboxer.ai.provider=agents")
			.run((context) -> assertThat(context.getBean(ConversationSandboxes.class).providerName())
				.isEqualTo("agents"));
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true", "sandboxer.ai.provider=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(NoSuchSandboxerException.class)
				.hasMessageContaining("nope"));
	}

	@Test
	void readsTheConversationFromTheConfiguredKeyAndBacksOffForAResolverOfTheApplication() {
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true", "sandboxer.ai.conversation-id-key=chatId")
			.run((context) -> assertThat(context.getBean(ConversationIdResolver.class)
				.conversationId(new ToolContext(Map.of("chatId", "c-42")))).isEqualTo("c-42"));
		ConversationIdResolver own = (toolContext) -> "always";
		this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true")
			.withBean(ConversationIdResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(ConversationIdResolver.class)).isSameAs(own));
	}

	@Test
	void theAgentsSandboxesAreTheEntrysOwnAndDieWithTheContext() {
		String conversation = "context-" + UUID.randomUUID();
		try (Sandboxer observer = TestDocker.localSandboxer()) {
			this.contextRunner.withPropertyValues("sandboxer.ai.enabled=true").run((context) -> {
				ToolCallback run = Arrays.stream(context.getBean(SandboxTools.class).getToolCallbacks())
					.filter((tool) -> tool.getToolDefinition().name().equals("run_command"))
					.findFirst()
					.orElseThrow();
				String result = run.call("{\"command\": \"echo hi\"}", new ToolContext(
						Map.of(org.springframework.ai.chat.memory.ChatMemory.CONVERSATION_ID, conversation)));
				assertThat(result).contains("\"stdout\":\"hi\\n\"");
				String id = TestDocker.sandboxesOf(observer, conversation).get(0).id();
				assertThat(context.getBean(Sandboxers.class).get("local").ownedSandboxIds()).containsExactly(id);
			});
			assertThat(TestDocker.sandboxesOf(observer, conversation)).isEmpty();
		}
	}

	private static String[] names(ToolCallbackProvider provider) {
		return Arrays.stream(provider.getToolCallbacks())
			.map((tool) -> tool.getToolDefinition().name())
			.toArray(String[]::new);
	}

}
