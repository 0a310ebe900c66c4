package dev.sandboxer.ai.autoconfigure;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.ai.ConversationIdResolver;
import dev.sandboxer.ai.ConversationSandboxes;
import dev.sandboxer.ai.SandboxTools;
import dev.sandboxer.autoconfigure.Sandboxers;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the sandbox tools for
 * Spring AI: with Spring AI on the class path and {@code sandboxer.ai.enabled=true}, a {@link SandboxTools}
 * {@code ToolCallbackProvider} whose calls run in one sandbox per conversation, made by the client of the
 * {@code sandboxer.ai.provider} entry.
 */
@AutoConfiguration(afterName = "dev.sandboxer.autoconfigure.SandboxerAutoConfiguration")
@ConditionalOnClass({ ToolCallback.class, Sandboxer.class, Sandboxers.class })
@ConditionalOnBooleanProperty("sandboxer.ai.enabled")
@ConditionalOnBean(Sandboxers.class)
@EnableConfigurationProperties(SandboxerAiProperties.class)
public final class SandboxerAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConversationIdResolver sandboxerConversationIdResolver(SandboxerAiProperties properties) {
		return ConversationIdResolver.fromContextKey(properties.getConversationIdKey());
	}

	/** Closed before the {@link Sandboxers} it depends on, so that its sandboxes are killed while their client lives. */
	@Bean
	@ConditionalOnMissingBean
	ConversationSandboxes conversationSandboxes(Sandboxers sandboxers, SandboxerAiProperties properties) {
		String provider = properties.getProvider();
		Sandboxer sandboxer = (provider != null) ? sandboxers.get(provider) : sandboxers.getDefault();
		return new ConversationSandboxes(sandboxer, properties.toSandboxesSettings());
	}

	@Bean
	@ConditionalOnMissingBean
	SandboxTools sandboxTools(ConversationSandboxes conversationSandboxes, ConversationIdResolver conversationIdResolver,
			SandboxerAiProperties properties) {
		return new SandboxTools(conversationSandboxes, conversationIdResolver, properties.toToolsSettings());
	}

}
