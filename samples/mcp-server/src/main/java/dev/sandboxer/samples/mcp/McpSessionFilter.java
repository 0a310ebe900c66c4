package dev.sandboxer.samples.mcp;

import java.io.IOException;

import dev.sandboxer.ai.ConversationSandboxes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Follows MCP sessions on the HTTP requests that carry them. Any request of a session counts as activity for its
 * sandbox, as it does for the session, so that both go idle together; a {@code DELETE}, which ends the session
 * (Streamable HTTP), kills its sandbox once the transport has closed the session.
 */
final class McpSessionFilter extends OncePerRequestFilter {

	/** The Streamable HTTP session header; HTTP header names are case-insensitive. */
	static final String SESSION_HEADER = "Mcp-Session-Id";

	private final ConversationSandboxes sandboxes;

	McpSessionFilter(ConversationSandboxes sandboxes) {
		this.sandboxes = sandboxes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String session = request.getHeader(SESSION_HEADER);
		if (session == null || session.isBlank()) {
			chain.doFilter(request, response);
			return;
		}
		this.sandboxes.touch(session);
		try {
			chain.doFilter(request, response);
		}
		finally {
			// Whatever the transport answered: a session it does not know (404) has no business keeping a sandbox.
			if ("DELETE".equals(request.getMethod()) && response.getStatus() < 500) {
				this.sandboxes.release(session);
			}
		}
	}

}
