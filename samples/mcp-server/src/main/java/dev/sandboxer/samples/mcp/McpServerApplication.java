package dev.sandboxer.samples.mcp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Sandboxer's tools served over MCP (Streamable HTTP at {@code /mcp}): every MCP session gets a Docker sandbox of its
 * own on the {@code local} entry, kept across its calls and removed when the session ends, stays idle, or the server
 * stops.
 * <p>
 * {@code java -jar mcp-server.jar --server.port=8080 --sandboxer.providers.local.image=debian:stable-slim}
 */
@SpringBootApplication
public class McpServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(McpServerApplication.class, args);
	}

}
