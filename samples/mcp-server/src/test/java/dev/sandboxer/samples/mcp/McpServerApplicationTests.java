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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample driven over HTTP by the MCP Java client, as Claude Desktop or any MCP client would: list the tools, run
 * a command, end the session, and the session's sandbox is gone from Docker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sandboxer.providers.local.image=sandboxer-test/busybox:latest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpServerApplicationTests {

	private static final String CONVERSATION_LABEL = "sandboxer.meta." + ConversationSandboxes.CONVERSATION_KEY;

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private final DockerClient docker = DockerClientImpl.getInstance(
			DefaultDockerClientConfig.createDefaultConfigBuilder().withApiVersion("1.41").build(),
			new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///var/run/docker.sock")).build());

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterAll
	void closeDocker() throws IOException {
		this.docker.close();
	}

	@Test
	void servesTheToolsOverStreamableHttpWithASandboxPerSessionThatEndsWithIt() throws Exception {
		McpSyncClient client = client();
		client.initialize();

		McpSchema.ListToolsResult listed = client.listTools();
		assertThat(listed.tools()).extracting(McpSchema.Tool::name)
			.containsExactlyInAnyOrder("run_command", "read_file", "write_file", "list_directory", "start_command",
					"read_command_output");
		McpSchema.Tool run = listed.tools().stream().filter((tool) -> tool.name().equals("run_command")).findFirst()
			.orElseThrow();
		assertThat(run.inputSchema().get("required")).isEqualTo(List.of("command"));
		assertThat(run.description()).contains("exit_code");

		JsonNode ran = call(client, "run_command", Map.of("command", "echo hello from mcp; hostname"));
		assertThat(ran.get("exit_code").intValue()).isZero();
		String[] lines = ran.get("stdout").stringValue().split("\n");
		assertThat(lines[0]).isEqualTo("hello from mcp");
		Container container = containerWithHostname(lines[1]);
		String session = container.getLabels().get(CONVERSATION_LABEL);
		assertThat(session).isNotBlank();

		// Kept across calls of the session.
		call(client, "write_file", Map.of("path", "/tmp/kept.txt", "content", "still here"));
		assertThat(call(client, "run_command", Map.of("command", "cat /tmp/kept.txt; hostname")).get("stdout")
			.stringValue()).isEqualTo("still here" + lines[1] + "\n");

		// A failing command is a normal result carrying its exit code, not a protocol error.
		McpSchema.CallToolResult failed = client
			.callTool(new McpSchema.CallToolRequest("run_command", Map.of("command", "ls /nowhere")));
		assertThat(failed.isError()).isFalse();
		JsonNode failure = json.readTree(text(failed));
		assertThat(failure.get("exit_code").intValue()).isNotZero();
		assertThat(failure.get("stderr").stringValue()).contains("nowhere");

		// The actuator sees the agent's sandbox like any other.
		JsonNode sandboxes = get("/actuator/sandboxes").get("providers").get("local").get("sandboxes");
		JsonNode mine = sandboxes.valueStream()
			.filter((sandbox) -> sandbox.get("id").stringValue().equals(container.getId()))
			.findFirst()
			.orElseThrow();
		assertThat(mine.get("createdHere").booleanValue()).isTrue();
		assertThat(mine.get("metadata").get(ConversationSandboxes.CONVERSATION_KEY).stringValue()).isEqualTo(session);
		assertThat(activeSandboxes()).isEqualTo(1.0);

		assertThat(client.closeGracefully()).isTrue();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containersOfSession(session)).isEmpty());
		assertThat(activeSandboxes()).isZero();
	}

	@Test
	void twoSessionsGetTwoSandboxes() throws Exception {
		McpSyncClient first = client();
		McpSyncClient second = client();
		first.initialize();
		second.initialize();
		try {
			String one = call(first, "run_command", Map.of("command", "hostname")).get("stdout").stringValue();
			String two = call(second, "run_command", Map.of("command", "hostname")).get("stdout").stringValue();
			assertThat(one).isNotEqualTo(two);
		}
		finally {
			first.closeGracefully();
			second.closeGracefully();
		}
	}

	private McpSyncClient client() {
		return McpClient.sync(HttpClientStreamableHttpTransport.builder("http://localhost:" + this.port).build())
			.requestTimeout(Duration.ofSeconds(60))
			.build();
	}

	private static JsonNode call(McpSyncClient client, String tool, Map<String, Object> arguments) {
		McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
		assertThat(result.isError()).isFalse();
		JsonNode parsed = json.readTree(text(result));
		assertThat(parsed.has("error")).as(parsed.toString()).isFalse();
		return parsed;
	}

	private static String text(McpSchema.CallToolResult result) {
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

	/** Docker's own answer: the sandbox container whose hostname (Docker's default: the short id) this is. */
	private Container containerWithHostname(String hostname) {
		List<Container> containers = this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of(CONVERSATION_LABEL))
			.exec();
		return containers.stream().filter((container) -> container.getId().startsWith(hostname)).findFirst()
			.orElseThrow();
	}

	private List<Container> containersOfSession(String session) {
		return this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of(CONVERSATION_LABEL, session))
			.exec();
	}

	private double activeSandboxes() throws Exception {
		JsonNode metric = get("/actuator/metrics/sandboxer.sandboxes.active?tag=provider:local");
		return metric.get("measurements").get(0).get("value").doubleValue();
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
