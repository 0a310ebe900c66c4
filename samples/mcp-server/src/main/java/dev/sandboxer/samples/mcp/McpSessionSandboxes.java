package dev.sandboxer.samples.mcp;

import java.time.Duration;

import dev.sandboxer.ai.ConversationIdResolver;
import dev.sandboxer.ai.ConversationSandboxes;
import dev.sandboxer.ai.autoconfigure.SandboxerAiProperties;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.mcp.McpToolUtils;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One sandbox per MCP session: the session id is the conversation id, the session's requests keep its sandbox from
 * going idle, and the session's end (an HTTP {@code DELETE}, or its eviction when idle) ends the sandbox.
 */
@Configuration(proxyBeanMethods = false)
class McpSessionSandboxes {

	/** The MCP session of a tool call, which Spring AI passes in the tool context as the server exchange. */
	@Bean
	ConversationIdResolver mcpSessionConversationIdResolver() {
		return (toolContext) -> (toolContext != null)
				? McpToolUtils.getMcpExchange(toolContext).map(McpSyncServerExchange::sessionId).orElse(null) : null;
	}

	/**
	 * Spring AI's transport, as its auto-configuration makes it, plus idle sessions evicted after the sandboxes' idle
	 * timeout: a session a client forgot ends with its sandbox rather than living forever.
	 */
	@Bean
	WebMvcStreamableServerTransportProvider webMvcStreamableServerTransportProvider(
			@Qualifier("mcpServerJsonMapper") JsonMapper jsonMapper, McpServerStreamableHttpProperties properties,
			SandboxerAiProperties sandboxes) {
		Duration idle = sandboxes.getIdleTimeout();
		Duration keepAlive = properties.getKeepAliveInterval();
		return WebMvcStreamableServerTransportProvider.builder()
			.jsonMapper(new JacksonMcpJsonMapper(jsonMapper))
			.mcpEndpoint(properties.getMcpEndpoint())
			.keepAliveInterval(keepAlive)
			.disallowDelete(properties.isDisallowDelete())
			.sessionIdleTimeout((keepAlive == null || idle.compareTo(keepAlive) > 0) ? idle : null)
			.build();
	}

	@Bean
	FilterRegistrationBean<McpSessionFilter> mcpSessionFilter(ConversationSandboxes sandboxes,
			McpServerStreamableHttpProperties properties) {
		FilterRegistrationBean<McpSessionFilter> registration = new FilterRegistrationBean<>(
				new McpSessionFilter(sandboxes));
		registration.addUrlPatterns(properties.getMcpEndpoint());
		return registration;
	}

}
