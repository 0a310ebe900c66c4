package dev.sandboxer.ai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.SandboxInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tool callbacks called as Spring AI calls them, JSON arguments and a tool context in, JSON out, on the local
 * provider against the real Docker Engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxToolsDockerTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Sandboxer sandboxer = TestDocker.localSandboxer();

	private final Sandboxer observer = TestDocker.localSandboxer();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final ConversationSandboxes shared = new ConversationSandboxes(this.sandboxer,
			new ConversationSandboxesSettings(50, Duration.ofMinutes(5), Duration.ofMinutes(15), null));

	private final SandboxTools tools = new SandboxTools(this.shared, ConversationIdResolver
		.fromContextKey(ChatMemory.CONVERSATION_ID), SandboxToolsSettings.DEFAULTS);

	private ConversationSandboxes own;

	@AfterEach
	void closeOwn() {
		if (this.own != null) {
			this.own.close();
			this.own = null;
		}
	}

	@AfterAll
	void closeAll() {
		this.shared.close();
		this.sandboxer.close();
		this.observer.close();
	}

	@Test
	void offersEveryToolWithADescriptionAndASchemaThatRequiresOnlyWhatACallNeeds() {
		Map<String, ToolCallback> byName = byName(this.tools);

		assertThat(byName).containsOnlyKeys("run_command", "read_file", "write_file", "list_directory",
				"start_command", "read_command_output");
		byName.values().forEach((tool) -> assertThat(tool.getToolDefinition().description()).hasSizeGreaterThan(80));
		JsonNode schema = json.readTree(byName.get("run_command").getToolDefinition().inputSchema());
		assertThat(schema.get("type").stringValue()).isEqualTo("object");
		assertThat(schema.get("required").valueStream().map(JsonNode::stringValue)).containsExactly("command");
		assertThat(schema.get("properties").propertyNames()).containsExactly("command", "cwd", "timeout_seconds");
		schema.get("properties")
			.forEach((property) -> assertThat(property.get("description").stringValue()).isNotBlank());
		assertThat(json.readTree(byName.get("write_file").getToolDefinition().inputSchema()).get("required")
			.valueStream()
			.map(JsonNode::stringValue)).containsExactly("path", "content");
	}

	@Test
	void runsACommandAndANonZeroExitIsAResultWithItsCode() {
		JsonNode result = call(this.tools, "run_command", "c1",
				"{\"command\": \"echo hello; echo oops >&2; exit 3\"}");

		assertThat(result.has("error")).isFalse();
		assertThat(result.get("exit_code").intValue()).isEqualTo(3);
		assertThat(result.get("stdout").stringValue()).isEqualTo("hello\n");
		assertThat(result.get("stderr").stringValue()).isEqualTo("oops\n");
		assertThat(result.has("timed_out")).isFalse();
	}

	@Test
	void runsInTheGivenDirectory() {
		JsonNode result = call(this.tools, "run_command", "c1", "{\"command\": \"pwd\", \"cwd\": \"/tmp\"}");

		assertThat(result.get("stdout").stringValue()).isEqualTo("/tmp\n");
	}

	@Test
	void writesReadsAndListsFilesAndTheyStayForTheNextCallOfTheConversation() {
		String text = "first line\nzweite Zeile, ü\n";
		JsonNode written = call(this.tools, "write_file", "c2",
				json.writeValueAsString(Map.of("path", "/work/notes/a.txt", "content", text)));
		assertThat(written.get("bytes_written").intValue())
			.isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);

		JsonNode read = call(this.tools, "read_file", "c2", "{\"path\": \"/work/notes/a.txt\"}");
		assertThat(read.get("content").stringValue()).isEqualTo(text);
		assertThat(read.has("truncated")).isFalse();

		JsonNode listed = call(this.tools, "list_directory", "c2", "{\"path\": \"/work/notes\"}");
		assertThat(listed.get("entries").valueStream().map((entry) -> entry.get("name").stringValue()))
			.containsExactly("a.txt");
		assertThat(listed.get("entries").get(0).get("type").stringValue()).isEqualTo("file");

		JsonNode catted = call(this.tools, "run_command", "c2", "{\"command\": \"wc -l < /work/notes/a.txt\"}");
		assertThat(catted.get("stdout").stringValue().strip()).isEqualTo("2");
	}

	@Test
	void anUnknownPathIsAResultThatSaysSoAndTheSandboxCarriesOn() {
		JsonNode read = call(this.tools, "read_file", "c3", "{\"path\": \"/no/such/file.txt\"}");
		assertThat(read.get("error").stringValue()).isEqualTo("not_found");
		assertThat(read.get("message").stringValue()).contains("/no/such/file.txt");

		JsonNode listed = call(this.tools, "list_directory", "c3", "{\"path\": \"/no/such/dir\"}");
		assertThat(listed.get("error").stringValue()).isEqualTo("not_found");

		assertThat(call(this.tools, "run_command", "c3", "{\"command\": \"echo still here\"}").get("stdout")
			.stringValue()).isEqualTo("still here\n");
	}

	@Test
	void cutsLongOutputInTheMiddleAndSaysSo() {
		SandboxTools small = new SandboxTools(this.shared, ConversationIdResolver.fromContextKey("id"),
				new SandboxToolsSettings(EnumSet.allOf(SandboxTool.class), false, 200, Duration.ofMinutes(1),
						Duration.ofMinutes(2), null));

		JsonNode result = call(small, "run_command", "id", "c4", "{\"command\": \"seq 1 2000\"}");

		String stdout = result.get("stdout").stringValue();
		assertThat(result.get("truncated").booleanValue()).isTrue();
		assertThat(result.get("truncation_note").stringValue()).contains("200").contains("8893");
		assertThat(stdout).hasSizeLessThanOrEqualTo(200).startsWith("1\n2\n3\n").endsWith("1999\n2000\n")
			.contains("characters cut");
		assertThat(result.get("exit_code").intValue()).isZero();
	}

	@Test
	void readsALongFileAPartAtATime() {
		SandboxTools small = new SandboxTools(this.shared, ConversationIdResolver.fromContextKey("id"),
				new SandboxToolsSettings(EnumSet.allOf(SandboxTool.class), false, 100, Duration.ofMinutes(1),
						Duration.ofMinutes(2), null));
		// 150 two-byte characters: the first part must end on a character, not in the middle of one.
		String text = "é".repeat(150);
		call(small, "write_file", "id", "c5", json.writeValueAsString(Map.of("path", "/tmp/long.txt", "content", text)));

		JsonNode first = call(small, "read_file", "id", "c5", "{\"path\": \"/tmp/long.txt\"}");
		assertThat(first.get("truncated").booleanValue()).isTrue();
		assertThat(first.get("content").stringValue()).isEqualTo("é".repeat(50));
		assertThat(first.get("next_offset").longValue()).isEqualTo(100);

		JsonNode second = call(small, "read_file", "id", "c5", "{\"path\": \"/tmp/long.txt\", \"offset\": 100}");
		assertThat(second.get("content").stringValue()).isEqualTo("é".repeat(50));
		JsonNode third = call(small, "read_file", "id", "c5", "{\"path\": \"/tmp/long.txt\", \"offset\": 200}");
		assertThat(third.get("content").stringValue()).isEqualTo("é".repeat(50));
		assertThat(third.has("truncated")).isFalse();
	}

	@Test
	void aCommandPastItsTimeoutIsStoppedAndSaysSo() {
		JsonNode result = call(this.tools, "run_command", "c6",
				"{\"command\": \"echo started; sleep 30\", \"timeout_seconds\": 1}");

		assertThat(result.get("timed_out").booleanValue()).isTrue();
		assertThat(result.get("note").stringValue()).contains("start_command");
	}

	@Test
	void aBackgroundCommandKeepsRunningAndItsOutputAndExitCodeCanBeReadLater() {
		JsonNode started = call(this.tools, "start_command", "c7",
				"{\"command\": \"echo begin; sleep 2; echo end >&2; exit 4\", \"cwd\": \"/tmp\"}");
		assertThat(started.has("error")).as(started.toString()).isFalse();
		String jobId = started.get("job_id").stringValue();
		assertThat(jobId).isEqualTo("job-1");

		JsonNode early = call(this.tools, "read_command_output", "c7", "{\"job_id\": \"job-1\"}");
		assertThat(early.get("running").booleanValue()).isTrue();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode later = call(this.tools, "read_command_output", "c7", "{\"job_id\": \"job-1\"}");
			assertThat(later.get("running").booleanValue()).isFalse();
			assertThat(later.get("exit_code").intValue()).isEqualTo(4);
			assertThat(later.get("output").stringValue()).isEqualTo("begin\nend\n");
			assertThat(later.get("next_offset").longValue()).isEqualTo(10);
		});
		JsonNode fromOffset = call(this.tools, "read_command_output", "c7", "{\"job_id\": \"job-1\", \"offset\": 6}");
		assertThat(fromOffset.get("output").stringValue()).isEqualTo("end\n");

		JsonNode unknown = call(this.tools, "read_command_output", "c7", "{\"job_id\": \"job-9\"}");
		assertThat(unknown.get("error").stringValue()).isEqualTo("bad_arguments");
		assertThat(unknown.get("message").stringValue()).contains("job-1");
	}

	@Test
	void twoConversationsGetTwoSandboxes() {
		String a = "a-" + this.run;
		String b = "b-" + this.run;
		call(this.tools, "write_file", a, "{\"path\": \"/tmp/who\", \"content\": \"a\"}");
		call(this.tools, "write_file", b, "{\"path\": \"/tmp/who\", \"content\": \"b\"}");

		assertThat(call(this.tools, "read_file", a, "{\"path\": \"/tmp/who\"}").get("content").stringValue())
			.isEqualTo("a");
		assertThat(call(this.tools, "read_file", b, "{\"path\": \"/tmp/who\"}").get("content").stringValue())
			.isEqualTo("b");
		List<SandboxInfo> ofA = TestDocker.sandboxesOf(this.observer, a);
		List<SandboxInfo> ofB = TestDocker.sandboxesOf(this.observer, b);
		assertThat(ofA).hasSize(1);
		assertThat(ofB).hasSize(1);
		assertThat(ofA.get(0).id()).isNotEqualTo(ofB.get(0).id());
		assertThat(this.shared.sandboxId(a)).contains(ofA.get(0).id());
		assertThat(this.sandboxer.ownedSandboxIds()).contains(ofA.get(0).id(), ofB.get(0).id());
	}

	@Test
	void concurrentFirstCallsOfAConversationShareOneSandbox() throws Exception {
		String conversation = "together-" + this.run;
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<JsonNode>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(pool.submit(
						() -> call(this.tools, "run_command", conversation, "{\"command\": \"hostname\"}")));
			}
			Set<String> hostnames = new HashSet<>();
			for (Future<JsonNode> call : calls) {
				hostnames.add(call.get(2, TimeUnit.MINUTES).get("stdout").stringValue());
			}
			assertThat(hostnames).hasSize(1);
			assertThat(TestDocker.sandboxesOf(this.observer, conversation)).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anIdleSandboxIsKilledAndTheNextCallGetsANewOne() {
		this.own = new ConversationSandboxes(this.sandboxer,
				new ConversationSandboxesSettings(5, Duration.ofSeconds(2), Duration.ofMinutes(15), null));
		SandboxTools idle = new SandboxTools(this.own, ConversationIdResolver.fromContextKey("id"),
				SandboxToolsSettings.DEFAULTS);
		String conversation = "idle-" + this.run;
		call(idle, "write_file", "id", conversation, "{\"path\": \"/tmp/mark\", \"content\": \"x\"}");
		String first = TestDocker.sandboxesOf(this.observer, conversation).get(0).id();

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(TestDocker.sandboxesOf(this.observer, conversation)).isEmpty());
		assertThat(this.own.size()).isZero();
		assertThat(this.sandboxer.ownedSandboxIds()).doesNotContain(first);

		JsonNode again = call(idle, "read_file", "id", conversation, "{\"path\": \"/tmp/mark\"}");
		assertThat(again.get("error").stringValue()).isEqualTo("not_found");
		assertThat(TestDocker.sandboxesOf(this.observer, conversation)).extracting(SandboxInfo::id)
			.doesNotContain(first)
			.hasSize(1);
	}

	@Test
	void aConversationBeyondTheCapIsToldSoAndNothingIsMade() {
		this.own = new ConversationSandboxes(this.sandboxer,
				new ConversationSandboxesSettings(1, Duration.ofMinutes(5), Duration.ofMinutes(15), null));
		SandboxTools capped = new SandboxTools(this.own, ConversationIdResolver.fromContextKey("id"),
				SandboxToolsSettings.DEFAULTS);
		String first = "cap1-" + this.run;
		String second = "cap2-" + this.run;
		assertThat(call(capped, "run_command", "id", first, "{\"command\": \"true\"}").get("exit_code").intValue())
			.isZero();

		JsonNode refused = call(capped, "run_command", "id", second, "{\"command\": \"true\"}");

		assertThat(refused.get("error").stringValue()).isEqualTo("sandbox_limit");
		assertThat(refused.get("message").stringValue()).contains("1 sandboxes");
		assertThat(TestDocker.sandboxesOf(this.observer, second)).isEmpty();

		this.own.release(first);
		assertThat(call(capped, "run_command", "id", second, "{\"command\": \"true\"}").get("exit_code").intValue())
			.isZero();
		assertThat(TestDocker.sandboxesOf(this.observer, first)).isEmpty();
	}

	@Test
	void aSandboxKilledFromOutsideIsReportedAndReplaced() {
		String conversation = "gone-" + this.run;
		call(this.tools, "run_command", conversation, "{\"command\": \"true\"}");
		String first = this.shared.sandboxId(conversation).orElseThrow();
		this.observer.killSandbox(first);

		JsonNode gone = call(this.tools, "run_command", conversation, "{\"command\": \"true\"}");
		assertThat(gone.get("error").stringValue()).isEqualTo("sandbox_gone");

		assertThat(call(this.tools, "run_command", conversation, "{\"command\": \"echo new\"}").get("stdout")
			.stringValue()).isEqualTo("new\n");
		assertThat(this.shared.sandboxId(conversation)).isPresent().get().isNotEqualTo(first);
	}

	@Test
	void badArgumentsAreRefusedBeforeASandboxIsMade() {
		String conversation = "bad-" + this.run;
		JsonNode missing = call(this.tools, "run_command", conversation, "{\"cwd\": \"/tmp\"}");
		assertThat(missing.get("error").stringValue()).isEqualTo("bad_arguments");
		assertThat(missing.get("message").stringValue()).contains("'command'");

		JsonNode tooLong = call(this.tools, "run_command", conversation,
				"{\"command\": \"true\", \"timeout_seconds\": 100000}");
		assertThat(tooLong.get("message").stringValue()).contains("timeout_seconds").contains("600");

		JsonNode notJson = call(this.tools, "run_command", conversation, "{\"command\": ");
		assertThat(notJson.get("error").stringValue()).isEqualTo("bad_arguments");

		assertThat(this.shared.sandboxId(conversation)).isEmpty();
		assertThat(TestDocker.sandboxesOf(this.observer, conversation)).isEmpty();
	}

	@Test
	void aCallWithoutAConversationIsRefusedUnlessADefaultIsSet() {
		ToolCallback run = byName(this.tools).get("run_command");
		JsonNode refused = json.readTree(run.call("{\"command\": \"true\"}", new ToolContext(Map.of())));
		assertThat(refused.get("error").stringValue()).isEqualTo("no_conversation");
		assertThat(json.readTree(run.call("{\"command\": \"true\"}")).get("error").stringValue())
			.isEqualTo("no_conversation");

		String fallback = "default-" + this.run;
		SandboxTools withDefault = new SandboxTools(this.shared, ConversationIdResolver.fromContextKey("id"),
				new SandboxToolsSettings(EnumSet.allOf(SandboxTool.class), false, 1000, Duration.ofMinutes(1),
						Duration.ofMinutes(2), fallback));
		JsonNode ran = json.readTree(byName(withDefault).get("run_command").call("{\"command\": \"echo ok\"}"));
		assertThat(ran.get("stdout").stringValue()).isEqualTo("ok\n");
		assertThat(TestDocker.sandboxesOf(this.observer, fallback)).hasSize(1);
	}

	@Test
	void closingKillsEveryConversationsSandbox() {
		ConversationSandboxes closing = new ConversationSandboxes(this.sandboxer,
				new ConversationSandboxesSettings(5, Duration.ofMinutes(5), Duration.ofMinutes(15), null));
		SandboxTools tools = new SandboxTools(closing, ConversationIdResolver.fromContextKey("id"),
				SandboxToolsSettings.DEFAULTS);
		String x = "close-x-" + this.run;
		String y = "close-y-" + this.run;
		call(tools, "run_command", "id", x, "{\"command\": \"true\"}");
		call(tools, "run_command", "id", y, "{\"command\": \"true\"}");

		closing.close();

		assertThat(TestDocker.sandboxesOf(this.observer, x)).isEmpty();
		assertThat(TestDocker.sandboxesOf(this.observer, y)).isEmpty();
		JsonNode after = call(tools, "run_command", "id", x, "{\"command\": \"true\"}");
		assertThat(after.get("error").stringValue()).isEqualTo("unavailable");
		assertThat(after.get("message").stringValue()).contains("closed");
	}

	@Test
	void readOnlyModeOffersOnlyTheToolsThatRead() {
		SandboxTools readOnly = new SandboxTools(this.shared, ConversationIdResolver.fromContextKey("id"),
				new SandboxToolsSettings(EnumSet.allOf(SandboxTool.class), true, 1000, Duration.ofMinutes(1),
						Duration.ofMinutes(2), null));
		SandboxTools some = new SandboxTools(this.shared, ConversationIdResolver.fromContextKey("id"),
				new SandboxToolsSettings(EnumSet.of(SandboxTool.RUN_COMMAND, SandboxTool.READ_FILE), false, 1000,
						Duration.ofMinutes(1), Duration.ofMinutes(2), null));

		assertThat(byName(readOnly)).containsOnlyKeys("read_file", "list_directory");
		assertThat(byName(some)).containsOnlyKeys("run_command", "read_file");
	}

	private static Map<String, ToolCallback> byName(SandboxTools tools) {
		return Arrays.stream(tools.getToolCallbacks())
			.collect(Collectors.toMap((tool) -> tool.getToolDefinition().name(), (tool) -> tool));
	}

	private JsonNode call(SandboxTools tools, String tool, String conversation, String arguments) {
		return call(tools, tool, ChatMemory.CONVERSATION_ID, conversation, arguments);
	}

	private static JsonNode call(SandboxTools tools, String tool, String key, String conversation, String arguments) {
		ToolCallback callback = byName(tools).get(tool);
		String result = callback.call(arguments, new ToolContext(Map.of(key, conversation)));
		return json.readTree(result);
	}

}
