package dev.sandboxer.provider.runloop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// Stubs follow runloopai/api-client-python at commit ae5ffd5f571f38e0b7d3f08171bbba540dfe12e8:
// resources/devboxes/devboxes.py and executions.py for paths, Accept and Content-Type; types/devbox_view.py,
// devbox_async_execution_detail_view.py, devbox_list_view.py, devboxes/execution_update_chunk.py for bodies;
// lib/wait_for_status.py for the long-polls (408 when a hold elapses); pagination.py for paging.
class RunloopProviderTests {

	static final String KEY = "rl_53cr3t0123456789abcdef";

	static final String ID = "dbx_1";

	static final String EXEC = "exe_9";

	static final String BOX = "/v1/devboxes/" + ID;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = provider();

	@AfterEach
	void close() {
		this.provider.close();
	}

	static SandboxProvider provider() {
		return new RunloopProviderFactory().create(config().build());
	}

	static ProviderConfig.Builder config() {
		return ProviderConfig.builder()
			.apiKey(KEY)
			.baseUrl(wm.baseUrl())
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofSeconds(2)))
			.environment((name) -> null);
	}

	static String view(String status, String extra) {
		return """
				{"id":"%s","status":"%s","create_time_ms":1767322800000,"capabilities":[],"state_transitions":[],
				 "metadata":{"team":"a"},"launch_parameters":{"keep_alive_time_seconds":600}%s}
				""".formatted(ID, status, extra);
	}

	static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(20, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	ProviderSandbox attach() {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", ""))));
		return await(this.provider.attachSandbox(ID));
	}

	/** An execution that completes at once, with its output on the two SSE streams. */
	static void stubExecution(String stdoutEvents, String stderrEvents, int exit) {
		wm.stubFor(post(urlPathEqualTo(BOX + "/execute_async"))
			.willReturn(okJson("{\"devbox_id\":\"" + ID + "\",\"execution_id\":\"" + EXEC + "\",\"status\":\"queued\"}")));
		wm.stubFor(post(urlPathEqualTo(BOX + "/executions/" + EXEC + "/wait_for_status"))
			.willReturn(okJson("{\"devbox_id\":\"" + ID + "\",\"execution_id\":\"" + EXEC
					+ "\",\"status\":\"completed\",\"exit_status\":" + exit + ",\"stdout\":\"\",\"stderr\":\"\"}")));
		wm.stubFor(get(urlPathEqualTo(BOX + "/executions/" + EXEC + "/stream_stdout_updates"))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(stdoutEvents)));
		wm.stubFor(get(urlPathEqualTo(BOX + "/executions/" + EXEC + "/stream_stderr_updates"))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(stderrEvents)));
	}

	static String chunk(String output, long offset) {
		return "data: {\"output\":\"" + output + "\",\"offset\":" + offset + "}\n\n";
	}

	static String executedCommand() {
		List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo(BOX + "/execute_async")));
		String body = sent.get(sent.size() - 1).getBodyAsString();
		return body;
	}

	@Test
	void createSendsTheSpecFieldsAndWaitsUntilRunning() {
		wm.stubFor(post(urlPathEqualTo("/v1/devboxes")).willReturn(okJson(view("provisioning", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/wait_for_status")).inScenario("boot")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("up")
			.willReturn(aResponse().withStatus(408).withBody("{\"message\":\"hold elapsed\"}")));
		wm.stubFor(post(urlPathEqualTo(BOX + "/wait_for_status")).inScenario("boot")
			.whenScenarioStateIs("up")
			.willReturn(okJson(view("running", ""))));
		ProviderSandbox sandbox = await(this.provider.createSandbox(CreateSandboxRequest.builder()
			.template("my-blueprint")
			.timeout(Duration.ofMinutes(10))
			.metadata("team", "a")
			.env("A", "1")
			.cpus(2)
			.memoryMb(4096)
			.build()));
		assertThat(sandbox.id()).isEqualTo(ID);
		assertThat(sandbox.initialInfo().status()).isEqualTo(SandboxStatus.RUNNING);
		assertThat(sandbox.initialInfo().template()).isEqualTo("my-blueprint");
		assertThat(sandbox.initialInfo().expiresAt()).isEqualTo(java.time.Instant.ofEpochMilli(1767322800000L + 600_000));
		wm.verify(postRequestedFor(urlPathEqualTo("/v1/devboxes"))
			.withHeader("Authorization", equalTo("Bearer " + KEY))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"blueprint_name":"my-blueprint","metadata":{"team":"a"},"environment_variables":{"A":"1"},
					 "launch_parameters":{"keep_alive_time_seconds":600,"resource_size_request":"CUSTOM_SIZE",
					 "custom_cpu_cores":2,"custom_gb_memory":4}}""")));
		wm.verify(2, postRequestedFor(urlPathEqualTo(BOX + "/wait_for_status"))
			.withRequestBody(equalToJson("{\"statuses\":[\"running\",\"failure\",\"shutdown\"]}", true, true)));
	}

	@Test
	void aDevboxThatFailsWhileBootingIsAProviderException() {
		wm.stubFor(post(urlPathEqualTo("/v1/devboxes")).willReturn(okJson(view("provisioning", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/wait_for_status"))
			.willReturn(okJson(view("failure", ",\"failure_reason\":\"out_of_memory\""))));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessageContaining("failure")
			.satisfies((error) -> assertThat(error.code()).contains("out_of_memory"));
	}

	@Test
	void aCreateIsNotRetriedOn503() {
		wm.stubFor(post(urlPathEqualTo("/v1/devboxes")).willReturn(aResponse().withStatus(503)
			.withBody("{\"error_code\":\"capacity\",\"message\":\"no capacity\"}")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessageContaining("no capacity")
			.satisfies((error) -> assertThat(error.code()).contains("capacity"));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/devboxes")));
	}

	@Test
	void aCommandIsNotRetriedOn503() {
		ProviderSandbox sandbox = attach();
		wm.stubFor(post(urlPathEqualTo(BOX + "/execute_async")).willReturn(aResponse().withStatus(503)
			.withBody("{\"message\":\"devbox busy\"}")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(sandbox.runCommand(RunCommandRequest.of("touch x"), CommandOutputListener.NONE)))
			.withMessageContaining("devbox busy")
			.satisfies((error) -> assertThat(error.status()).contains(503));
		wm.verify(1, postRequestedFor(urlPathEqualTo(BOX + "/execute_async")));
	}

	@Test
	void listPagesWithStartingAfterAndFiltersMetadataHere() {
		wm.stubFor(get(urlPathEqualTo("/v1/devboxes")).withQueryParam("starting_after", WireMock.absent())
			.willReturn(okJson("{\"has_more\":true,\"devboxes\":[" + view("running", "").replace(ID, "a1") + ","
					+ view("suspended", "").replace("\"team\":\"a\"", "\"team\":\"b\"").replace(ID, "a2") + "]}")));
		wm.stubFor(get(urlPathEqualTo("/v1/devboxes")).withQueryParam("starting_after", equalTo("a2"))
			.willReturn(okJson("{\"has_more\":false,\"devboxes\":[" + view("shutdown", "").replace(ID, "a3") + "]}")));
		List<SandboxInfo> found = await(
				this.provider.listSandboxes(ListSandboxesFilter.builder().metadata("team", "a").build()));
		assertThat(found).extracting(SandboxInfo::id).containsExactly("a1", "a3");
		assertThat(found).extracting(SandboxInfo::status).containsExactly(SandboxStatus.RUNNING, SandboxStatus.STOPPED);
		wm.verify(getRequestedFor(urlPathEqualTo("/v1/devboxes")).withQueryParam("limit", equalTo("5000")));
	}

	@Test
	void runCommandQuotesItsOptionsAndCollectsTheStreams() {
		ProviderSandbox sandbox = attach();
		stubExecution(chunk("hel", 0) + chunk("lo\\n", 3), chunk("warn", 0), 3);
		StringBuilder seen = new StringBuilder();
		CommandResult result = await(sandbox.runCommand(RunCommandRequest.builder("echo $HOME; exit 3")
			.cwd("/tmp/it's here")
			.env("X", "a b")
			.user("app")
			.build(), new CommandOutputListener() {
				@Override
				public void onStdout(String text) {
					seen.append(text);
				}
			}));
		assertThat(result.stdout()).isEqualTo("hello\n");
		assertThat(result.stderr()).isEqualTo("warn");
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(seen).hasToString("hello\n");
		assertThat(executedCommand()).isEqualTo("{\"command\":\"cd -- '/tmp/it'\\\\''s here' && exec sudo -n -H -u 'app' -- "
				+ "env 'X=a b' bash -c 'echo $HOME; exit 3'\"}");
		wm.verify(postRequestedFor(urlPathEqualTo(BOX + "/executions/" + EXEC + "/wait_for_status"))
			.withRequestBody(equalToJson("{\"statuses\":[\"completed\"]}", true, true)));
		wm.verify(getRequestedFor(urlPathEqualTo(BOX + "/executions/" + EXEC + "/stream_stdout_updates"))
			.withHeader("Accept", equalTo("text/event-stream")));
	}

	@Test
	void aCommandPastItsTimeoutIsKilled() {
		ProviderSandbox sandbox = attach();
		stubExecution("", "", 0);
		wm.stubFor(post(urlPathEqualTo(BOX + "/executions/" + EXEC + "/wait_for_status"))
			.willReturn(aResponse().withStatus(408)));
		wm.stubFor(post(urlPathEqualTo(BOX + "/executions/" + EXEC + "/kill")).willReturn(okJson("{\"execution_id\":\""
				+ EXEC + "\",\"status\":\"completed\"}")));
		CommandResult result = await(sandbox.runCommand(
				RunCommandRequest.builder("sleep 100").timeout(Duration.ofSeconds(1)).build(), CommandOutputListener.NONE));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		wm.verify(postRequestedFor(urlPathEqualTo(BOX + "/executions/" + EXEC + "/kill"))
			.withRequestBody(equalToJson("{\"kill_process_group\":true}")));
	}

	@Test
	void startCommandReadsThePidAndWaitForHandleDropsIt() {
		ProviderSandbox sandbox = attach();
		stubExecution(chunk("4242\\nout", 0), "", 0);
		CommandHandle handle = await(sandbox.startCommand(StartCommandRequest.of("server")));
		assertThat(handle).isEqualTo(new CommandHandle(4242, EXEC));
		assertThat(executedCommand()).isEqualTo("{\"command\":\"echo $$ && exec bash -c 'server'\"}");
		assertThat(await(sandbox.waitForHandle(EXEC)).stdout()).isEqualTo("out");
		wm.stubFor(post(urlPathEqualTo(BOX + "/executions/" + EXEC + "/kill")).willReturn(okJson("{\"execution_id\":\""
				+ EXEC + "\",\"status\":\"completed\"}")));
		await(sandbox.killProcess(4242));
		wm.verify(postRequestedFor(urlPathEqualTo(BOX + "/executions/" + EXEC + "/kill")));
	}

	@Test
	void oneMebibyteOfRandomBytesRoundTrips() {
		ProviderSandbox sandbox = attach();
		byte[] content = new byte[1024 * 1024];
		new Random(7).nextBytes(content);
		stubExecution("", "", 0);
		wm.stubFor(post(urlPathEqualTo(BOX + "/upload_file")).willReturn(okJson("{}")));
		await(sandbox.writeFile("/data/blob.bin", content, null, null));
		LoggedRequest upload = wm.findAll(postRequestedFor(urlPathEqualTo(BOX + "/upload_file"))).get(0);
		assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data");
		assertThat(upload.getPart("path").getBody().asString()).isEqualTo("/data/blob.bin");
		byte[] uploaded = upload.getPart("file").getBody().asBytes();
		assertThat(uploaded).isEqualTo(content);
		assertThat(executedCommand()).isEqualTo("{\"command\":\"mkdir -p -- '/data'\"}");
		wm.stubFor(post(urlPathEqualTo(BOX + "/download_file")).withRequestBody(equalToJson("{\"path\":\"/data/blob.bin\"}"))
			.withHeader("Accept", equalTo("application/octet-stream"))
			.willReturn(aResponse().withHeader("Content-Type", "application/octet-stream").withBody(uploaded)));
		assertThat(await(sandbox.readFile("/data/blob.bin"))).isEqualTo(content);
	}

	@Test
	void listDirectoryReadsFindRecords() {
		ProviderSandbox sandbox = attach();
		stubExecution(chunk("d 4096 755 sub\\u0000f 12 644 a b.txt\\u0000", 0), "", 0);
		List<FileInfo> entries = await(sandbox.listDirectory("/work"));
		assertThat(entries).containsExactly(new FileInfo("sub", "/work/sub", true, 4096, 0755),
				new FileInfo("a b.txt", "/work/a b.txt", false, 12, 0644));
		assertThat(executedCommand()).contains("[ -d '/work' ] || exit 3; find '/work' -mindepth 1 -maxdepth 1");
	}

	@Test
	void aMissingDirectoryIsNotFoundAndExistsReadsTheExitCode() {
		ProviderSandbox sandbox = attach();
		stubExecution("", "", 3);
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(sandbox.listDirectory("/nope")));
		stubExecution("", "", 1);
		assertThat(await(sandbox.exists("/x'; rm -rf /"))).isFalse();
		assertThat(executedCommand()).isEqualTo("{\"command\":\"[ -e '/x'\\\\''; rm -rf /' ] || [ -L '/x'\\\\''; rm -rf /' ]\"}");
	}

	@Test
	void listProcessesReadsPs() {
		ProviderSandbox sandbox = attach();
		stubExecution(chunk("    1 root     /sbin/init\\n   42 app      python -m http.server 80\\n", 0), "", 0);
		assertThat(await(sandbox.listProcesses())).containsExactly(new ProcessInfo(1, "/sbin/init", "root"),
				new ProcessInfo(42, "python -m http.server 80", "app"));
		assertThat(executedCommand()).isEqualTo("{\"command\":\"ps -eo pid=,user=,args=\"}");
	}

	@Test
	void killProcessOfAPidThisHandleDidNotStartRunsKill() {
		ProviderSandbox sandbox = attach();
		stubExecution("", chunk("kill: (77) - No such process", 0), 1);
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(sandbox.killProcess(77)))
			.withMessageContaining("No such process");
		assertThat(executedCommand()).isEqualTo("{\"command\":\"kill -s KILL -- '77'\"}");
		stubExecution("", "", 0);
		await(sandbox.killProcess(78));
		wm.verify(0, postRequestedFor(urlPathEqualTo(BOX + "/executions/" + EXEC + "/kill")));
	}

	@Test
	void makeDirAndRemoveRunQuotedCommands() {
		ProviderSandbox sandbox = attach();
		stubExecution("", "", 0);
		await(sandbox.makeDir("/work/a b"));
		assertThat(executedCommand()).isEqualTo("{\"command\":\"mkdir -p -- '/work/a b'\"}");
		await(sandbox.remove("/work/a b"));
		assertThat(executedCommand()).isEqualTo("{\"command\":\"{ [ -e '/work/a b' ] || [ -L '/work/a b' ]; } || exit 3; "
				+ "rm -rf -- '/work/a b'\"}");
		stubExecution("", chunk("mkdir: Permission denied", 0), 1);
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(sandbox.makeDir("/root/x")))
			.withMessageContaining("makeDir")
			.withMessageContaining("Permission denied");
		stubExecution("", "", 3);
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(sandbox.remove("/gone")));
	}

	@Test
	void streamsReadAndWriteThroughDownloadAndUpload() throws Exception {
		ProviderSandbox sandbox = attach();
		byte[] content = new byte[300 * 1024];
		new Random(11).nextBytes(content);
		stubExecution("", "", 0);
		wm.stubFor(post(urlPathEqualTo(BOX + "/upload_file")).willReturn(okJson("{}")));
		await(sandbox.writeFileStream("notes/big.bin", new java.io.ByteArrayInputStream(content), 0640, null));
		LoggedRequest upload = wm.findAll(postRequestedFor(urlPathEqualTo(BOX + "/upload_file"))).get(0);
		assertThat(upload.getPart("path").getBody().asString()).isEqualTo("notes/big.bin");
		assertThat(upload.getPart("file").getBody().asBytes()).isEqualTo(content);
		assertThat(executedCommand()).isEqualTo("{\"command\":\"chmod -- '640' 'notes/big.bin'\"}");
		wm.stubFor(post(urlPathEqualTo(BOX + "/download_file")).withRequestBody(equalToJson("{\"path\":\"notes/big.bin\"}"))
			.willReturn(aResponse().withHeader("Content-Type", "application/octet-stream").withBody(content)));
		try (java.io.InputStream in = await(sandbox.readFileStream("notes/big.bin"))) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
	}

	@Test
	void pingAsksForOneDevboxAndListStopsAtItsLimit() {
		wm.stubFor(get(urlPathEqualTo("/v1/devboxes"))
			.willReturn(okJson("{\"has_more\":true,\"devboxes\":[" + view("running", "") + "]}")));
		assertThat(await(this.provider.ping())).containsEntry("baseUrl", wm.baseUrl());
		wm.verify(getRequestedFor(urlPathEqualTo("/v1/devboxes")).withQueryParam("limit", equalTo("1"))
			.withHeader("Authorization", equalTo("Bearer " + KEY)));
		wm.resetRequests();
		assertThat(await(this.provider.listSandboxes(ListSandboxesFilter.builder().limit(1).build())))
			.extracting(SandboxInfo::id)
			.containsExactly(ID);
		wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/devboxes")));
		wm.verify(getRequestedFor(urlPathEqualTo("/v1/devboxes")).withQueryParam("limit", equalTo("1")));
	}

	@Test
	void theAsyncFaceRunsTheSameImplementation() throws Exception {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", ""))));
		stubExecution(chunk("hi", 0), "", 0);
		try (Sandboxer client = sandboxer()) {
			CommandResult result = client.async()
				.attachSandbox(ID)
				.thenCompose((sandbox) -> sandbox.runCommand("echo hi"))
				.get(20, TimeUnit.SECONDS);
			assertThat(result.stdout()).isEqualTo("hi");
			assertThat(result.exitCode()).isZero();
		}
	}

	@Test
	void lifecycleCallsAndPortUrl() {
		ProviderSandbox sandbox = attach();
		wm.stubFor(post(urlPathEqualTo(BOX + "/suspend")).willReturn(okJson(view("suspending", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/resume")).willReturn(okJson(view("resuming", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/shutdown")).willReturn(okJson(view("shutdown", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/enable_tunnel")).willReturn(okJson(
				"{\"tunnel_key\":\"tk1\",\"auth_mode\":\"open\",\"create_time_ms\":1,\"http_keep_alive\":true,\"wake_on_http\":false}")));
		await(sandbox.pause());
		await(sandbox.resume());
		await(sandbox.kill());
		assertThat(await(sandbox.portUrl(8080))).isEqualTo("https://8080-tk1.tunnel." + "localhost");
		wm.verify(postRequestedFor(urlPathEqualTo(BOX + "/enable_tunnel")).withRequestBody(equalToJson("{\"auth_mode\":\"open\"}")));
		wm.verify(1, postRequestedFor(urlPathEqualTo(BOX + "/suspend")));
	}

	@Test
	void setTimeoutRenewsTheKeepAliveOfTheSameLengthOnly() {
		ProviderSandbox sandbox = attach();
		wm.stubFor(post(urlPathEqualTo(BOX + "/keep_alive")).willReturn(okJson("{}")));
		wm.stubFor(post(urlPathEqualTo(BOX)).willReturn(okJson(view("running", ""))));
		await(sandbox.setTimeout(Duration.ofSeconds(600)));
		wm.verify(postRequestedFor(urlPathEqualTo(BOX + "/keep_alive")).withHeader("Authorization", equalTo("Bearer " + KEY)));
		wm.verify(postRequestedFor(urlPathEqualTo(BOX)).withRequestBody(
				equalToJson("{\"metadata\":{\"team\":\"a\",\"sandboxer-kept-alive-at\":\"${json-unit.any-string}\"}}")));
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.setTimeout(Duration.ofSeconds(60))))
			.withMessageContaining("600 s");
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.setTimeout(Duration.ofSeconds(601))));
		wm.verify(1, postRequestedFor(urlPathEqualTo(BOX + "/keep_alive")));
	}

	@Test
	void infoCountsTheDeadlineFromTheLastRecordedRenewal() {
		ProviderSandbox sandbox = attach();
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", "")
			.replace("\"team\":\"a\"", "\"team\":\"a\",\"sandboxer-kept-alive-at\":\"1767330000000\""))));
		SandboxInfo info = await(sandbox.info());
		assertThat(info.expiresAt()).isEqualTo(Instant.ofEpochMilli(1767330000000L + 600_000));
		assertThat(info.metadata()).containsExactly(java.util.Map.entry("team", "a"));
	}

	@Test
	void withoutAKeepAliveTimeRunloopsHourApplies() {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", "")
			.replace("{\"keep_alive_time_seconds\":600}", "{}"))));
		ProviderSandbox sandbox = await(this.provider.attachSandbox(ID));
		assertThat(sandbox.initialInfo().expiresAt()).isEqualTo(Instant.ofEpochMilli(1767322800000L + 3_600_000));
		wm.stubFor(post(urlPathEqualTo(BOX + "/keep_alive")).willReturn(okJson("{}")));
		wm.stubFor(post(urlPathEqualTo(BOX)).willReturn(okJson(view("running", ""))));
		await(sandbox.setTimeout(Duration.ofHours(1)));
		wm.verify(1, postRequestedFor(urlPathEqualTo(BOX + "/keep_alive")));
	}

	@Test
	void aDevboxThatEndsOnIdleHasNoDeadlineToMove() {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", "").replace(
				"{\"keep_alive_time_seconds\":600}",
				"{\"keep_alive_time_seconds\":600,\"lifecycle\":{\"after_idle\":{\"idle_time_seconds\":300,\"on_idle\":\"suspend\"}}}"))));
		ProviderSandbox sandbox = await(this.provider.attachSandbox(ID));
		assertThat(sandbox.initialInfo().expiresAt()).isNull();
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.setTimeout(Duration.ofSeconds(600))))
			.withMessageContaining("idle");
		wm.verify(0, postRequestedFor(urlPathEqualTo(BOX + "/keep_alive")));
	}

	@Test
	void aShutDownDevboxIsStoppedAndKillingItAgainSucceeds() {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("shutdown", ",\"shutdown_reason\":\"api_shutdown\""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/shutdown")).willReturn(aResponse().withStatus(400)
			.withBody("{\"message\":\"devbox is already shut down\"}")));
		try (Sandboxer client = sandboxer()) {
			Sandbox sandbox = client.attachSandbox(ID);
			assertThat(sandbox.isRunning()).isFalse();
			assertThat(sandbox.info().status()).isEqualTo(SandboxStatus.STOPPED);
			assertThat(sandbox.info().expiresAt()).isNull();
			client.killSandbox(ID);
			sandbox.kill();
		}
		wm.verify(2, postRequestedFor(urlPathEqualTo(BOX + "/shutdown")));
	}

	@Test
	void aRefusedShutdownOfARunningDevboxStands() {
		ProviderSandbox sandbox = attach();
		wm.stubFor(post(urlPathEqualTo(BOX + "/shutdown")).willReturn(aResponse().withStatus(409)
			.withBody("{\"error_code\":\"snapshot_in_progress\",\"message\":\"snapshot running\"}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(sandbox.kill()))
			.satisfies((error) -> assertThat(error.code()).contains("snapshot_in_progress"));
	}

	@Test
	void aDevboxStillBootingAtTheStartTimeoutIsShutDown() {
		wm.stubFor(post(urlPathEqualTo("/v1/devboxes")).willReturn(okJson(view("provisioning", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/wait_for_status")).willReturn(okJson(view("provisioning", ""))));
		wm.stubFor(post(urlPathEqualTo(BOX + "/shutdown")).willReturn(okJson(view("shutdown", ""))));
		try (SandboxProvider slow = new RunloopProviderFactory().create(config().extra("start-timeout", "1s").build())) {
			assertThatExceptionOfType(ProviderTimeoutException.class)
				.isThrownBy(() -> await(slow.createSandbox(CreateSandboxRequest.builder().build())));
		}
		wm.verify(1, postRequestedFor(urlPathEqualTo(BOX + "/shutdown")));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/devboxes")));
	}

	@Test
	void terminalsAreNotSupported() {
		ProviderSandbox sandbox = attach();
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.createPty(CreatePtyRequest.builder().build(), null)))
			.withMessageContaining("runCommand");
	}

	// The fault table, through the public API.

	Sandboxer sandboxer() {
		return Sandboxer.builder("runloop").config(config().build()).build();
	}

	@Test
	void faultsAreTyped() {
		try (Sandboxer client = sandboxer()) {
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(aResponse().withStatus(401).withBody("{\"message\":\"bad key\"}")));
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> client.attachSandbox(ID))
				.withMessageNotContaining(KEY);
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(aResponse().withStatus(403)));
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> client.attachSandbox(ID));
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"no devbox\"}")));
			assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> client.attachSandbox(ID))
				.withMessageContaining("no devbox");
			wm.stubFor(post(urlPathEqualTo(BOX + "/shutdown")).willReturn(aResponse().withStatus(409)
				.withBody("{\"error_code\":\"snapshot_in_progress\",\"message\":\"snapshot running\"}")));
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> client.killSandbox(ID))
				.satisfies((error) -> assertThat(error.status()).contains(409))
				.satisfies((error) -> assertThat(error.code()).contains("snapshot_in_progress"));
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson("{\"id\":")));
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> client.attachSandbox(ID))
				.withMessageContaining("documented shape");
		}
	}

	@Test
	void a429WithRetryAfterIsRetriedThenRateLimited() {
		wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
		try (Sandboxer client = sandboxer()) {
			assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> client.attachSandbox(ID))
				.satisfies((error) -> assertThat(error.retryAfter()).contains(Duration.ofSeconds(1)));
		}
		wm.verify(3, getRequestedFor(urlPathEqualTo(BOX)));
	}

	@Test
	void fiveHundredsAreRetriedWhereSafe() {
		wm.stubFor(get(urlPathEqualTo(BOX)).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("b")
			.willReturn(aResponse().withStatus(502)));
		wm.stubFor(get(urlPathEqualTo(BOX)).inScenario("5xx").whenScenarioStateIs("b").willSetStateTo("c")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(get(urlPathEqualTo(BOX)).inScenario("5xx").whenScenarioStateIs("c").willReturn(okJson(view("running", ""))));
		try (Sandboxer client = sandboxer()) {
			assertThat(client.attachSandbox(ID).id()).isEqualTo(ID);
		}
		wm.stubFor(get(urlPathEqualTo("/v1/devboxes")).willReturn(aResponse().withStatus(500).withBody("boom")));
		try (Sandboxer client = sandboxer()) {
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> client.listSandboxes())
				.satisfies((error) -> assertThat(error.status()).contains(500));
		}
		wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/devboxes")));
	}

	@Test
	void aResetASlowReplyAndACutStream() {
		try (Sandboxer client = sandboxer()) {
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
			assertThatExceptionOfType(ProviderConnectionException.class).isThrownBy(() -> client.attachSandbox(ID));
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", "")).withFixedDelay(5000)));
			assertThatExceptionOfType(ProviderTimeoutException.class).isThrownBy(() -> client.attachSandbox(ID));
			wm.stubFor(get(urlPathEqualTo(BOX)).willReturn(okJson(view("running", ""))));
			Sandbox sandbox = client.attachSandbox(ID);
			stubExecution(chunk("x", 0), "", 0);
			wm.stubFor(get(urlPathEqualTo(BOX + "/executions/" + EXEC + "/stream_stdout_updates"))
				.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
					.withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
			assertThatExceptionOfType(StreamInterruptedException.class)
				.isThrownBy(() -> sandbox.runCommand("echo x"));
		}
	}

	@Test
	void anErrorEventOnTheStreamIsTyped() {
		ProviderSandbox sandbox = attach();
		stubExecution("event: error\ndata: {\"code\":404,\"message\":\"execution gone\"}\n\n", "", 0);
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(sandbox.runCommand(RunCommandRequest.of("true"), CommandOutputListener.NONE)))
			.withMessageContaining("execution gone");
	}

	@Test
	void noKeyIsABadConfig() {
		assertThatExceptionOfType(dev.sandboxer.error.BadConfigException.class)
			.isThrownBy(() -> new RunloopProviderFactory().create(ProviderConfig.builder().environment((n) -> null).build()))
			.withMessageContaining("RUNLOOP_API_KEY");
	}

}
