package dev.sandboxer.samples.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.sandboxer.ai.ConversationSandboxes;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A session its client forgets: it expires, and its sandbox with it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sandboxer.providers.local.image=sandboxer-test/busybox:latest", "sandboxer.ai.idle-timeout=3s" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpSessionExpiryTests {

	private static final String CONVERSATION_LABEL = "sandboxer.meta." + ConversationSandboxes.CONVERSATION_KEY;

	@LocalServerPort
	int port;

	private final DockerClient docker = DockerClientImpl.getInstance(
			DefaultDockerClientConfig.createDefaultConfigBuilder().withApiVersion("1.41").build(),
			new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///var/run/docker.sock")).build());

	@AfterAll
	void closeDocker() throws IOException {
		this.docker.close();
	}

	@Test
	void anIdleSessionExpiresAndItsSandboxIsKilled() throws Exception {
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://localhost:" + this.port).build())
			.requestTimeout(Duration.ofSeconds(60))
			.build();
		client.initialize();
		McpSchema.CallToolResult ran = client
			.callTool(new McpSchema.CallToolRequest("run_command", Map.of("command", "hostname")));
		String hostname = JsonMapper.builder().build().readTree(((McpSchema.TextContent) ran.content().get(0)).text())
			.get("stdout")
			.stringValue()
			.strip();
		Container container = this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of(CONVERSATION_LABEL))
			.exec()
			.stream()
			.filter((candidate) -> candidate.getId().startsWith(hostname))
			.findFirst()
			.orElseThrow();
		String session = container.getLabels().get(CONVERSATION_LABEL);

		// The client goes quiet without ending its session.
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.docker.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(Map.of(CONVERSATION_LABEL, session))
				.exec()).isEmpty());
		// And the server has let go of the session itself. Each request of the session counts as activity, so ask
		// less often than the transport's eviction can miss: its check runs every idle timeout (3s), so in 7s one
		// check sees the session idle for more than 3s.
		await().pollDelay(Duration.ofSeconds(7))
			.pollInterval(Duration.ofSeconds(7))
			.atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(listToolsStatus(session)).isEqualTo(404));
		client.close();
	}

	private int listToolsStatus(String session) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", session)
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
