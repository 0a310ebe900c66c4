package dev.sandboxer.provider.fly;

// Stubs follow superfly/docs api/machines/openapi.json at commit 462dcb9037e57d4c21a336289db3e0b9378d15ab
// (Machines_list, _create, _show, _delete, _start, _suspend, _wait, _create_lease, _release_lease,
// _upsert_metadata, Apps_show) and superfly/fly-go at 22d6e518f42d50a81b4485da918741563354b3d3 (flaps/flaps_machines.go:
// the lease nonce header, the wrapped lease answer).

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.fly.FlyStubs.APP;
import static dev.sandboxer.provider.fly.FlyStubs.EXEC;
import static dev.sandboxer.provider.fly.FlyStubs.JSON;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINES;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE_ID;
import static dev.sandboxer.provider.fly.FlyStubs.TOKEN;
import static dev.sandboxer.provider.fly.FlyStubs.await;
import static dev.sandboxer.provider.fly.FlyStubs.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FlyLifecycleTests {

	private static final String BEARER = "Bearer " + TOKEN;

	private static final String LEASE_ANSWER = """
			{"status":"success","data":{"nonce":"5c35f65c9f95","expires_at":1708569778,"owner":"me@example.com",
			 "description":"sandboxer pause","version":"01HQ73A7BFFDF1B6WMGHFZZ4E7"}}
			""";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = FlyStubs.provider(wm);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void createSendsTheMachineConfigAndWaitsUntilStarted() throws Exception {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created"))));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).willReturn(okJson("{\"ok\":true,\"state\":\"started\"}")));
		SandboxProvider inAms = new FlyProviderFactory()
			.create(FlyStubs.config(wm).extra("region", "ams").extra("cpu-kind", "performance").build());
		CreateSandboxRequest request = CreateSandboxRequest.builder()
			.template("python:3.12-slim")
			.timeout(Duration.ofMinutes(10))
			.metadata("team", "a")
			.env("GREETING", "hi there")
			.cpus(2)
			.memoryMb(1024)
			.ports(8080, 80)
			.build();
		Instant before = Instant.now();
		ProviderSandbox sandbox = await(inAms.createSandbox(request));
		inAms.close();

		assertThat(sandbox.id()).isEqualTo(MACHINE_ID);
		assertThat(sandbox.initialInfo().status()).isEqualTo(SandboxStatus.RUNNING);
		assertThat(sandbox.initialInfo().metadata()).containsExactly(Map.entry("team", "a"));
		List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlEqualTo(MACHINES)));
		assertThat(creates).hasSize(1);
		LoggedRequest create = creates.get(0);
		assertThat(create.getHeader("Authorization")).isEqualTo(BEARER);
		assertThat(create.getHeader("Content-Type")).startsWith("application/json");
		JsonNode body = JSON.readTree(create.getBodyAsString());
		assertThat(body.get("region").asString()).isEqualTo("ams");
		JsonNode config = body.get("config");
		assertThat(config.get("image").asString()).isEqualTo("python:3.12-slim");
		assertThat(config.get("auto_destroy").asBoolean()).isTrue();
		assertThat(config.get("restart").get("policy").asString()).isEqualTo("no");
		assertThat(config.get("env").get("GREETING").asString()).isEqualTo("hi there");
		assertThat(config.get("guest").get("cpu_kind").asString()).isEqualTo("performance");
		assertThat(config.get("guest").get("cpus").asInt()).isEqualTo(2);
		assertThat(config.get("guest").get("memory_mb").asInt()).isEqualTo(1024);
		assertThat(config.has("auto_start_machines")).isFalse();
		JsonNode metadata = config.get("metadata");
		assertThat(metadata.get("team").asString()).isEqualTo("a");
		assertThat(metadata.get("sandboxer_managed").asString()).isEqualTo("true");
		assertThat(metadata.get("sandboxer_request").asString()).matches("[0-9a-f-]{36}");
		long deadline = Long.parseLong(metadata.get("sandboxer_expires_at").asString());
		assertThat(deadline).isBetween(before.getEpochSecond() + 600, Instant.now().getEpochSecond() + 601);
		JsonNode exec = config.get("init").get("exec");
		assertThat(exec.get(0).asString()).isEqualTo("/bin/sh");
		assertThat(exec.get(1).asString()).isEqualTo("-c");
		assertThat(exec.get(2).asString()).isEqualTo(Lifetime.KEEPER);
		assertThat(exec.get(4).asString()).isEqualTo(Long.toString(deadline));
		JsonNode services = config.get("services");
		assertThat(services).hasSize(2);
		assertThat(services.get(0).get("internal_port").asInt()).isEqualTo(80);
		assertThat(services.get(0).get("ports").get(0).get("handlers").get(0).asString()).isEqualTo("http");
		assertThat(services.get(1).get("internal_port").asInt()).isEqualTo(8080);
		assertThat(services.get(1).get("ports").get(0).get("port").asInt()).isEqualTo(8080);
		assertThat(services.get(1).get("autostop").asString()).isEqualTo("off");
		wm.verify(getRequestedFor(urlEqualTo(MACHINE + "/wait?state=started&timeout=60"))
			.withHeader("Authorization", equalTo(BEARER)));
	}

	@Test
	void createWithoutOptionsUsesTheDefaultsAndNoRegion() throws Exception {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("started"))));
		await(this.provider.createSandbox(CreateSandboxRequest.builder().build()));
		JsonNode body = JSON.readTree(wm.findAll(postRequestedFor(urlEqualTo(MACHINES))).get(0).getBodyAsString());
		assertThat(body.has("region")).isFalse();
		assertThat(body.get("config").get("image").asString()).isEqualTo("alpine:latest");
		assertThat(body.get("config").get("guest").get("cpus").asInt()).isEqualTo(1);
		assertThat(body.get("config").get("guest").get("memory_mb").asInt()).isEqualTo(256);
		assertThat(body.get("config").has("env")).isFalse();
		assertThat(body.get("config").has("services")).isFalse();
		long deadline = Long.parseLong(body.get("config").get("metadata").get("sandboxer_expires_at").asString());
		assertThat(deadline - Instant.now().getEpochSecond()).isBetween(290L, 301L);
		// Already started: no wait call.
		wm.verify(0, getRequestedFor(urlPathEqualTo(MACHINE + "/wait")));
	}

	@Test
	void aCreateWhoseMachineNeverStartsDestroysItAndFails() {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created"))));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait"))
			.willReturn(aResponse().withStatus(400).withBody("{\"error\":\"machine failed to start\"}")));
		wm.stubFor(delete(urlPathEqualTo(MACHINE)).willReturn(ok()));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessageContaining("machine failed to start");
		wm.verify(deleteRequestedFor(urlEqualTo(MACHINE + "?force=true")));
	}

	@Test
	void aCreateWhoseAnswerIsLostFindsTheMachineByItsTokenAndDestroysIt() throws Exception {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created")).withFixedDelay(5000)));
		wm.stubFor(get(urlPathEqualTo(MACHINES)).willReturn(okJson("[" + machine("m-lost", "created") + "]")));
		wm.stubFor(delete(urlPathEqualTo(MACHINES + "/m-lost")).willReturn(ok()));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())));
		String token = JSON.readTree(wm.findAll(postRequestedFor(urlEqualTo(MACHINES))).get(0).getBodyAsString())
			.get("config")
			.get("metadata")
			.get("sandboxer_request")
			.asString();
		wm.verify(getRequestedFor(urlEqualTo(MACHINES + "?metadata.sandboxer_request=" + token + "&limit=1000")));
		wm.verify(deleteRequestedFor(urlEqualTo(MACHINES + "/m-lost?force=true")));
		wm.verify(1, postRequestedFor(urlEqualTo(MACHINES)));
	}

	@Test
	void aCreateCancelledWhileItWaitsDestroysTheMachine() {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created"))));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait"))
			.willReturn(okJson("{\"ok\":true,\"state\":\"started\"}").withFixedDelay(10_000)));
		wm.stubFor(delete(urlPathEqualTo(MACHINE)).willReturn(ok()));
		java.util.concurrent.CompletableFuture<ProviderSandbox> creating = this.provider
			.createSandbox(CreateSandboxRequest.builder().build());
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> !wm.findAll(getRequestedFor(urlPathEqualTo(MACHINE + "/wait"))).isEmpty());
		creating.cancel(true);
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> wm.verify(deleteRequestedFor(urlEqualTo(MACHINE + "?force=true"))));
	}

	@Test
	void aWaitThatRunsOutIsAskedAgain() {
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created"))));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).inScenario("slow")
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willReturn(aResponse().withStatus(408).withBody("{\"error\":\"deadline_exceeded\"}"))
			.willSetStateTo("second"));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).inScenario("slow")
			.whenScenarioStateIs("second")
			.willReturn(okJson("{\"ok\":true,\"state\":\"started\"}")));
		ProviderSandbox sandbox = await(this.provider.createSandbox(CreateSandboxRequest.builder().build()));
		assertThat(sandbox.id()).isEqualTo(MACHINE_ID);
		wm.verify(2, getRequestedFor(urlPathEqualTo(MACHINE + "/wait")));
		wm.verify(0, deleteRequestedFor(urlPathEqualTo(MACHINE)));
	}

	@Test
	void createRejectsOptionsItDoesNotKnow() {
		assertThatExceptionOfType(dev.sandboxer.error.BadConfigException.class)
			.isThrownBy(() -> await(this.provider
				.createSandbox(CreateSandboxRequest.builder().option("autoPause", "true").build())))
			.withMessageContaining("autoPause");
		wm.verify(0, postRequestedFor(urlPathEqualTo(MACHINES)));
	}

	@Test
	void attachReadsTheMachineAsSandboxInfo() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		SandboxInfo info = sandbox.initialInfo();
		assertThat(info.id()).isEqualTo(MACHINE_ID);
		assertThat(info.provider()).isEqualTo(FlyProviderFactory.NAME);
		assertThat(info.template()).isEqualTo("alpine:latest");
		assertThat(info.status()).isEqualTo(SandboxStatus.RUNNING);
		assertThat(info.startedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
		assertThat(info.expiresAt()).isEqualTo(Instant.ofEpochSecond(1767323345L));
		assertThat(info.metadata()).containsExactly(Map.entry("team", "a"));
		assertThat(info.cpus()).isEqualTo(2);
		assertThat(info.memoryMb()).isEqualTo(512);
		wm.verify(getRequestedFor(urlEqualTo(MACHINE)).withHeader("Authorization", equalTo(BEARER)));
	}

	@ParameterizedTest
	@CsvSource({ "created,STARTING", "starting,STARTING", "replacing,STARTING", "started,RUNNING",
			"suspending,PAUSED", "suspended,PAUSED", "stopping,STOPPED", "stopped,STOPPED", "destroying,STOPPED",
			"failed,ERROR", "something-new,ERROR" })
	void statesMapHonestly(String state, SandboxStatus status) {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine(state))));
		assertThat(await(sandbox.info()).status()).isEqualTo(status);
	}

	@Test
	void aDestroyedMachineIsGone() {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("destroyed"))));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox(MACHINE_ID)))
			.withMessageContaining("destroyed");
	}

	@Test
	void pauseSuspendsUnderALeaseAndWaitsForSuspended() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(post(urlEqualTo(MACHINE + "/lease")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(LEASE_ANSWER)));
		wm.stubFor(post(urlEqualTo(MACHINE + "/suspend")).willReturn(ok()));
		wm.stubFor(delete(urlEqualTo(MACHINE + "/lease")).willReturn(ok()));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).willReturn(okJson("{\"ok\":true,\"state\":\"suspended\"}")));
		await(sandbox.pause());
		wm.verify(postRequestedFor(urlEqualTo(MACHINE + "/lease")).withHeader("Authorization", equalTo(BEARER))
			.withRequestBody(equalToJson("{\"description\":\"sandboxer pause\",\"ttl\":30}")));
		wm.verify(postRequestedFor(urlEqualTo(MACHINE + "/suspend"))
			.withHeader("fly-machine-lease-nonce", equalTo("5c35f65c9f95")));
		wm.verify(deleteRequestedFor(urlEqualTo(MACHINE + "/lease"))
			.withHeader("fly-machine-lease-nonce", equalTo("5c35f65c9f95")));
		wm.verify(getRequestedFor(urlEqualTo(MACHINE + "/wait?state=suspended&timeout=60")));
	}

	@Test
	void resumeStartsUnderAFlatLeaseToo() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		// The OpenAPI's Lease is flat; fly-go's is wrapped: both work.
		wm.stubFor(post(urlEqualTo(MACHINE + "/lease")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"nonce\":\"n0nce-flat-1\",\"expires_at\":1708569778,\"owner\":\"me\"}")));
		wm.stubFor(post(urlEqualTo(MACHINE + "/start")).willReturn(okJson("{\"previous_state\":\"suspended\"}")));
		wm.stubFor(delete(urlEqualTo(MACHINE + "/lease")).willReturn(ok()));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).willReturn(okJson("{\"ok\":true,\"state\":\"started\"}")));
		await(sandbox.resume());
		wm.verify(postRequestedFor(urlEqualTo(MACHINE + "/start"))
			.withHeader("fly-machine-lease-nonce", equalTo("n0nce-flat-1")));
		wm.verify(getRequestedFor(urlEqualTo(MACHINE + "/wait?state=started&timeout=60")));
	}

	@Test
	void aMachineLeasedBySomeoneElseIsReportedNotOverridden() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(post(urlEqualTo(MACHINE + "/lease")).willReturn(aResponse().withStatus(409)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"lease currently held by deploy@example.com\"}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(sandbox.pause()))
			.withMessageContaining("leased by another client")
			.withMessageContaining("lease currently held by deploy@example.com")
			.satisfies((error) -> {
				assertThat(error.status()).contains(409);
				assertThat(error.code()).contains("lease_held");
			});
		wm.verify(0, postRequestedFor(urlEqualTo(MACHINE + "/suspend")));
	}

	@Test
	void aFailedSuspendStillReleasesTheLease() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(post(urlEqualTo(MACHINE + "/lease")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(LEASE_ANSWER)));
		wm.stubFor(post(urlEqualTo(MACHINE + "/suspend"))
			.willReturn(aResponse().withStatus(400).withBody("{\"error\":\"machine has volumes\"}")));
		wm.stubFor(delete(urlEqualTo(MACHINE + "/lease")).willReturn(ok()));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(sandbox.pause()))
			.withMessageContaining("machine has volumes");
		wm.verify(deleteRequestedFor(urlEqualTo(MACHINE + "/lease"))
			.withHeader("fly-machine-lease-nonce", equalTo("5c35f65c9f95")));
	}

	@Test
	void killDestroysWithForce() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(delete(urlPathEqualTo(MACHINE)).willReturn(ok()));
		await(sandbox.kill());
		await(this.provider.killSandbox(MACHINE_ID));
		wm.verify(2, deleteRequestedFor(urlEqualTo(MACHINE + "?force=true")).withHeader("Authorization",
				equalTo(BEARER)));
	}

	@Test
	void killOfAnUnknownMachineIsNotFound() {
		wm.stubFor(delete(urlPathEqualTo(MACHINE))
			.willReturn(aResponse().withStatus(404).withBody("{\"error\":\"machine not found\"}")));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.provider.killSandbox(MACHINE_ID)))
			.withMessageContaining("machine not found");
	}

	@Test
	void listFiltersByMetadataOnFlysSideAndFollowsTheCursor() {
		String first = "[" + tiered("m1", "started") + "," + tiered("m2", "destroyed") + "]";
		wm.stubFor(get(urlPathEqualTo(MACHINES)).withQueryParam("cursor", absent())
			.willReturn(okJson(first).withHeader("fly-next-cursor", "c-2")));
		// An empty page with a cursor: the spec says pages may be short, or empty, while more remain.
		wm.stubFor(get(urlPathEqualTo(MACHINES)).withQueryParam("cursor", equalTo("c-2"))
			.willReturn(okJson("[]").withHeader("fly-next-cursor", "c-3")));
		wm.stubFor(get(urlPathEqualTo(MACHINES)).withQueryParam("cursor", equalTo("c-3"))
			.willReturn(okJson("[" + tiered("m3", "suspended") + "," + machine("m4", "started") + "]")));
		List<SandboxInfo> found = await(this.provider
			.listSandboxes(ListSandboxesFilter.builder().metadata("team", "a").metadata("tier x", "b&c").build()));
		assertThat(found).extracting(SandboxInfo::id).containsExactly("m1", "m3");
		assertThat(found.get(1).status()).isEqualTo(SandboxStatus.PAUSED);
		wm.verify(getRequestedFor(urlEqualTo(MACHINES
				+ "?metadata.sandboxer_managed=true&metadata.team=a&metadata.tier%20x=b%26c&limit=1000"))
			.withHeader("Authorization", equalTo(BEARER)));
		wm.verify(getRequestedFor(urlEqualTo(MACHINES
				+ "?metadata.sandboxer_managed=true&metadata.team=a&metadata.tier%20x=b%26c&limit=1000&cursor=c-3")));
	}

	/** A machine whose metadata also holds {"tier x": "b&c"}. */
	private static String tiered(String id, String state) {
		return machine(id, state).replace("\"team\":\"a\"", "\"team\":\"a\",\"tier x\":\"b&c\"");
	}

	@Test
	void listStopsAtTheLimit() {
		wm.stubFor(get(urlPathEqualTo(MACHINES)).willReturn(okJson("[" + machine("m1", "started") + ","
				+ machine("m2", "started") + "]").withHeader("fly-next-cursor", "more")));
		List<SandboxInfo> found = await(this.provider.listSandboxes(ListSandboxesFilter.builder().limit(2).build()));
		assertThat(found).hasSize(2);
		wm.verify(1, getRequestedFor(urlPathEqualTo(MACHINES)));
		wm.verify(getRequestedFor(urlEqualTo(MACHINES + "?metadata.sandboxer_managed=true&limit=2")));
	}

	@Test
	void setTimeoutMovesTheDeadlineInTheMachineAndInItsMetadata() throws Exception {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(FlyStubs.execAnswer(0, "", ""))));
		wm.stubFor(post(urlEqualTo(MACHINE + "/metadata/sandboxer_expires_at")).willReturn(aResponse().withStatus(204)));
		long before = Instant.now().getEpochSecond();
		await(sandbox.setTimeout(Duration.ofMinutes(5)));
		JsonNode exec = JSON.readTree(wm.findAll(postRequestedFor(urlEqualTo(EXEC))).get(0).getBodyAsString());
		assertThat(exec.get("command").get(0).asString()).isEqualTo("/bin/sh");
		long deadline = Long.parseLong(exec.get("command").get(4).asString());
		assertThat(deadline).isBetween(before + 300, Instant.now().getEpochSecond() + 301);
		wm.verify(postRequestedFor(urlEqualTo(MACHINE + "/metadata/sandboxer_expires_at"))
			.withRequestBody(equalToJson("{\"value\":\"" + deadline + "\"}")));
	}

	@Test
	void setTimeoutOnAMachineWithoutKeeperIsNotSupported() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(FlyStubs.execAnswer(3, "", ""))));
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.setTimeout(Duration.ofMinutes(5))))
			.withMessageContaining("no Sandboxer lifetime keeper");
		wm.verify(0, postRequestedFor(urlPathEqualTo(MACHINE + "/metadata/sandboxer_expires_at")));
	}

	@Test
	void portUrlComesFromThePublishedService() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		assertThat(await(sandbox.portUrl(8080))).isEqualTo("https://" + APP + ".fly.dev:8080");
		assertThat(await(sandbox.portUrl(9000))).isEqualTo("http://" + APP + ".fly.dev");
		assertThatExceptionOfType(NotSupportedException.class).isThrownBy(() -> await(sandbox.portUrl(5432)))
			.withMessageContaining("ports(5432)");
	}

	@Test
	void portUrlUsesTheConfiguredPublicHost() {
		SandboxProvider custom = new FlyProviderFactory()
			.create(FlyStubs.config(wm).extra("public-host", "sandboxes.example.com").build());
		try {
			ProviderSandbox sandbox = FlyStubs.attach(wm, custom);
			assertThat(await(sandbox.portUrl(8080))).isEqualTo("https://sandboxes.example.com:8080");
		}
		finally {
			custom.close();
		}
	}

	@Test
	void pingReadsTheApp() {
		wm.stubFor(get(urlEqualTo("/v1/apps/" + APP)).willReturn(okJson("{\"name\":\"" + APP + "\"}")));
		assertThat(await(this.provider.ping())).containsEntry("app", APP).containsEntry("apiUrl", wm.baseUrl());
		wm.verify(getRequestedFor(urlEqualTo("/v1/apps/" + APP)).withHeader("Authorization", equalTo(BEARER)));
	}

	@Test
	void terminalsAreNotSupportedAndSaySo() {
		ProviderSandbox sandbox = FlyStubs.attach(wm, this.provider);
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(sandbox.createPty(dev.sandboxer.model.CreatePtyRequest.builder().build(),
					dev.sandboxer.PtyListener.NONE)))
			.withMessageContaining("exec")
			.withMessageContaining("runCommand");
	}

	@Test
	void theAsyncClientIsTheSameProvider() {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("suspended"))));
		dev.sandboxer.AsyncSandboxer async = dev.sandboxer.Sandboxer.builder("fly-machines")
			.config(FlyStubs.config(wm).build())
			.buildAsync();
		try {
			dev.sandboxer.AsyncSandbox sandbox = await(async.attachSandbox(MACHINE_ID));
			assertThat(await(sandbox.info()).status()).isEqualTo(SandboxStatus.PAUSED);
		}
		finally {
			async.close();
		}
		wm.verify(2, getRequestedFor(urlEqualTo(MACHINE)));
	}

	@Test
	void aWaitThatNeverGetsThereTimesOut() {
		// Not timing: the stub answers 408 at once; the provider gives up after its fixed number of rounds.
		wm.stubFor(post(urlEqualTo(MACHINES)).willReturn(okJson(machine("created"))));
		wm.stubFor(get(urlPathEqualTo(MACHINE + "/wait")).willReturn(aResponse().withStatus(408)));
		wm.stubFor(delete(urlPathEqualTo(MACHINE)).willReturn(ok()));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessageContaining("did not reach state 'started'");
		wm.verify(deleteRequestedFor(urlEqualTo(MACHINE + "?force=true")));
	}

}
