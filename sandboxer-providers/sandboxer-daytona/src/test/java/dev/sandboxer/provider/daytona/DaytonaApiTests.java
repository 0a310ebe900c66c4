package dev.sandboxer.provider.daytona;

// Stubs follow daytonaio/daytona at commit b5a5d9e7, libs/api-client-go/api/openapi.yaml: POST /sandbox
// (CreateSandbox -> Sandbox), GET/DELETE /sandbox/{sandboxIdOrName}, POST .../start and .../stop, POST
// .../autostop/{interval} and .../autodelete/{interval}, GET .../ports/{port}/preview-url (PortPreviewUrl),
// GET /sandbox/{sandboxId}/toolbox-proxy-url (ToolboxProxyUrl), GET /sandbox with cursor, limit and JSON labels
// (ListSandboxesResponse {items, nextCursor}); the deprecated /toolbox/{sandboxId}/toolbox routes.

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.daytona.DaytonaStubs.API_KEY;
import static dev.sandboxer.provider.daytona.DaytonaStubs.SANDBOX_ID;
import static dev.sandboxer.provider.daytona.DaytonaStubs.await;
import static dev.sandboxer.provider.daytona.DaytonaStubs.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaApiTests {

	private static final String SANDBOX_PATH = "/api/sandbox/" + SANDBOX_ID;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = DaytonaStubs.provider(wm);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void createSendsLabelsEnvLifetimeAndResourcesThenWaitsUntilStarted() {
		wm.stubFor(post(urlPathEqualTo("/api/sandbox")).willReturn(okJson(sandbox(wm, SANDBOX_ID, "creating"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("start")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("up")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "starting"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("start")
			.whenScenarioStateIs("up")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
		CreateSandboxRequest request = CreateSandboxRequest.builder()
			.template("daytonaio/sandbox:0.4.3")
			.timeout(Duration.ofSeconds(90))
			.metadata("team", "a")
			.env("GREETING", "hi")
			.cpus(2)
			.memoryMb(1500)
			.option("public", "true")
			.option("auto-archive-interval", "60")
			.build();
		ProviderSandbox created = await(this.provider.createSandbox(request));
		assertThat(created.id()).isEqualTo(SANDBOX_ID);
		assertThat(created.initialInfo().status()).isEqualTo(SandboxStatus.RUNNING);
		wm.verify(postRequestedFor(urlPathEqualTo("/api/sandbox"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Daytona-Source", equalTo("sandboxer-java"))
			.withHeader("X-Daytona-Organization-ID", absent())
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"snapshot":"daytonaio/sandbox:0.4.3","env":{"GREETING":"hi"},"labels":{"team":"a"},
					 "public":true,"cpu":2,"memory":2,"autoStopInterval":2,"autoArchiveInterval":60,
					 "autoDeleteInterval":2}
					""")));
		wm.verify(2, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void createSendsTheTargetAndOrganizationFromTheSettings() {
		SandboxProvider inRegion = new DaytonaProviderFactory().create(DaytonaStubs.config(wm)
			.extra("target", "eu")
			.extra("organization-id", "org-9")
			.build());
		try {
			wm.stubFor(post(urlPathEqualTo("/api/sandbox")).willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
			await(inRegion.createSandbox(CreateSandboxRequest.builder().build()));
			wm.verify(postRequestedFor(urlPathEqualTo("/api/sandbox"))
				.withHeader("X-Daytona-Organization-ID", equalTo("org-9"))
				.withRequestBody(equalToJson("{\"target\":\"eu\"}")));
			wm.verify(0, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
		}
		finally {
			inRegion.close();
		}
	}

	@Test
	void aSandboxThatFailsToStartIsDeletedAndTheReasonReported() {
		wm.stubFor(post(urlPathEqualTo("/api/sandbox")).willReturn(okJson(sandbox(wm, SANDBOX_ID, "creating"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "build_failed")
			.replace("\"state\"", "\"errorReason\":\"snapshot not found\",\"state\""))));
		wm.stubFor(delete(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "destroying"))));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().build())))
			.withMessage("daytona createSandbox: sandbox " + SANDBOX_ID + " is in state build_failed (snapshot not found)")
			.satisfies((error) -> assertThat(error.code()).hasValue("build_failed"));
		wm.verify(deleteRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void anUnknownCreateOptionIsRefusedBeforeAnyCall() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().option("autoPause", "true")
				.build())))
			.withMessageContaining("known options: name, user, public");
		wm.verify(0, postRequestedFor(urlPathEqualTo("/api/sandbox")));
	}

	@Test
	void infoReadsLabelsResourcesAndTheIdleDeadline() {
		ProviderSandbox attached = DaytonaStubs.attach(wm, this.provider);
		SandboxInfo info = await(attached.info());
		assertThat(info).isEqualTo(new SandboxInfo(SANDBOX_ID, DaytonaSettings.NAME, "daytonaio/sandbox:0.4.3",
				SandboxStatus.RUNNING, Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:21:00Z"),
				Map.of("team", "a"), 2, 4096));
		wm.verify(getRequestedFor(urlPathEqualTo(SANDBOX_PATH)).withHeader("Authorization",
				equalTo("Bearer " + API_KEY)));
	}

	@Test
	void aStoppedSandboxIsPausedAndExpiresWhenAutoDeleteComes() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "stopped")
			.replace("\"autoDeleteInterval\":-1", "\"autoDeleteInterval\":30"))));
		SandboxInfo info = await(this.provider.attachSandbox(SANDBOX_ID)).initialInfo();
		assertThat(info.status()).isEqualTo(SandboxStatus.PAUSED);
		assertThat(info.expiresAt()).isEqualTo(Instant.parse("2026-01-02T03:35:00Z"));
	}

	@Test
	void attachingAMissingSandboxIsNotFoundWithTheApisMessage() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox/nope")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"path\":\"/api/sandbox/nope\",\"timestamp\":\"2026-01-02T03:04:05.000Z\",\"statusCode\":404,"
					+ "\"error\":\"Not Found\",\"message\":\"Sandbox with ID or name nope not found\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.provider.attachSandbox("nope")))
			.withMessage("daytona attachSandbox failed: HTTP 404 (Not Found): Sandbox with ID or name nope not found");
	}

	@Test
	void listPagesThroughTheCursorWithTheLabelsFilterOnTheServer() {
		String first = "{\"items\":[%s],\"nextCursor\":\"c2\"}".formatted(sandbox(wm, "sb-1", "started"));
		String second = "{\"items\":[%s,%s],\"nextCursor\":null}".formatted(sandbox(wm, "sb-2", "stopped"),
				sandbox(wm, "sb-3", "started").replace("{\"team\":\"a\"}", "{\"team\":\"b\"}"));
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).withQueryParam("cursor", absent())
			.willReturn(okJson(first)));
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).withQueryParam("cursor", equalTo("c2"))
			.willReturn(okJson(second)));
		List<SandboxInfo> found = await(this.provider.listSandboxes(ListSandboxesFilter.builder()
			.metadata("team", "a")
			.build()));
		// sb-3 is dropped here too, in case a server ignores the filter.
		assertThat(found).extracting(SandboxInfo::id).containsExactly("sb-1", "sb-2");
		wm.verify(getRequestedFor(urlPathEqualTo("/api/sandbox")).withQueryParam("limit", equalTo("200"))
			.withQueryParam("labels", equalTo("{\"team\":\"a\"}"))
			.withQueryParam("cursor", absent()));
		wm.verify(getRequestedFor(urlPathEqualTo("/api/sandbox")).withQueryParam("cursor", equalTo("c2"))
			.withQueryParam("labels", equalTo("{\"team\":\"a\"}")));
	}

	@Test
	void listStopsAtTheLimit() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).willReturn(okJson("{\"items\":[%s,%s],\"nextCursor\":\"more\"}"
			.formatted(sandbox(wm, "sb-1", "started"), sandbox(wm, "sb-2", "started")))));
		List<SandboxInfo> found = await(this.provider.listSandboxes(ListSandboxesFilter.builder().limit(1).build()));
		assertThat(found).extracting(SandboxInfo::id).containsExactly("sb-1");
		wm.verify(1, getRequestedFor(urlPathEqualTo("/api/sandbox")).withQueryParam("limit", equalTo("1"))
			.withQueryParam("labels", absent()));
	}

	@Test
	void killDeletesTheSandbox() {
		wm.stubFor(delete(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "destroying"))));
		await(this.provider.killSandbox(SANDBOX_ID));
		wm.verify(deleteRequestedFor(urlPathEqualTo(SANDBOX_PATH)).withHeader("Authorization",
				equalTo("Bearer " + API_KEY)));
	}

	@Test
	void pauseStopsAndWaitsUntilStopped() {
		ProviderSandbox attached = DaytonaStubs.attach(wm, this.provider);
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/stop")).willReturn(okJson(sandbox(wm, SANDBOX_ID, "stopping"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("stop")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("stopped")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "stopping"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("stop")
			.whenScenarioStateIs("stopped")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "stopped"))));
		await(attached.pause());
		wm.verify(postRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/stop")).withQueryParam("force", absent()));
		assertThat(await(attached.info()).status()).isEqualTo(SandboxStatus.PAUSED);
	}

	@Test
	void resumeStartsAndWaitsUntilStarted() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("start")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("attached")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "stopped"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("start")
			.whenScenarioStateIs("attached")
			.willSetStateTo("starting")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "starting"))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).inScenario("start")
			.whenScenarioStateIs("starting")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/start")).willReturn(okJson(sandbox(wm, SANDBOX_ID, "starting"))));
		ProviderSandbox attached = await(this.provider.attachSandbox(SANDBOX_ID));
		await(attached.resume());
		wm.verify(postRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/start")));
		wm.verify(3, getRequestedFor(urlPathEqualTo(SANDBOX_PATH)));
	}

	@Test
	void setTimeoutSetsAutoStopAndAutoDeleteInWholeMinutesRoundedUp() {
		ProviderSandbox attached = DaytonaStubs.attach(wm, this.provider);
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/autostop/3")).willReturn(okJson(sandbox(wm, SANDBOX_ID,
				"started"))));
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/autodelete/3")).willReturn(okJson(sandbox(wm, SANDBOX_ID,
				"started"))));
		await(attached.setTimeout(Duration.ofSeconds(121)));
		wm.verify(postRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/autostop/3")));
		wm.verify(postRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/autodelete/3")));
	}

	@Test
	void setTimeoutIsRepeatedOnA503BecauseItSetsAValue() {
		ProviderSandbox attached = DaytonaStubs.attach(wm, this.provider);
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/autostop/1")).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/autostop/1")).inScenario("flaky")
			.whenScenarioStateIs("ok")
			.willReturn(okJson(sandbox(wm, SANDBOX_ID, "started"))));
		wm.stubFor(post(urlPathEqualTo(SANDBOX_PATH + "/autodelete/1")).willReturn(okJson(sandbox(wm, SANDBOX_ID,
				"started"))));
		await(attached.setTimeout(Duration.ofSeconds(5)));
		wm.verify(2, postRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/autostop/1")));
	}

	@Test
	void portUrlIsThePreviewUrl() {
		ProviderSandbox attached = DaytonaStubs.attach(wm, this.provider);
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH + "/ports/8080/preview-url")).willReturn(okJson(
				"{\"sandboxId\":\"" + SANDBOX_ID + "\",\"url\":\"https://8080-" + SANDBOX_ID
						+ ".proxy.daytona.works\",\"token\":\"ul67qtv\"}")));
		assertThat(await(attached.portUrl(8080))).isEqualTo("https://8080-" + SANDBOX_ID + ".proxy.daytona.works");
	}

	@Test
	void pingListsOneSandbox() {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox")).willReturn(okJson("{\"items\":[],\"nextCursor\":null}")));
		assertThat(await(this.provider.ping())).containsEntry("apiUrl", wm.baseUrl() + "/api")
			.doesNotContainValue(API_KEY);
		wm.verify(getRequestedFor(urlPathEqualTo("/api/sandbox")).withQueryParam("limit", equalTo("1")));
	}

	@Test
	void withoutAProxyUrlTheToolboxAddressIsAskedFor() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "started")
			.replace("\"toolboxProxyUrl\":\"" + wm.baseUrl() + "/toolbox\"", "\"toolboxProxyUrl\":\"\""))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH + "/toolbox-proxy-url")).willReturn(okJson(
				"{\"url\":\"" + wm.baseUrl() + "/proxied/\"}")));
		wm.stubFor(get(urlPathEqualTo("/proxied/" + SANDBOX_ID + "/files/info")).willReturn(okJson(
				"{\"name\":\"x\",\"isDir\":false,\"size\":1}")));
		ProviderSandbox attached = await(this.provider.attachSandbox(SANDBOX_ID));
		assertThat(await(attached.exists("/x"))).isTrue();
		assertThat(await(attached.exists("/x"))).isTrue();
		wm.verify(1, getRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/toolbox-proxy-url")));
	}

	@Test
	void anApiWithoutTheProxyUrlEndpointFallsBackToTheDeprecatedToolboxRoute() {
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH)).willReturn(okJson(sandbox(wm, SANDBOX_ID, "started")
			.replace(",\"toolboxProxyUrl\":\"" + wm.baseUrl() + "/toolbox\"", ""))));
		wm.stubFor(get(urlPathEqualTo(SANDBOX_PATH + "/toolbox-proxy-url")).willReturn(aResponse().withStatus(404)));
		wm.stubFor(get(urlPathEqualTo("/api/toolbox/" + SANDBOX_ID + "/toolbox/files/info")).willReturn(okJson(
				"{\"name\":\"x\",\"isDir\":false,\"size\":1}")));
		ProviderSandbox attached = await(this.provider.attachSandbox(SANDBOX_ID));
		assertThat(await(attached.exists("/x"))).isTrue();
	}

}
