package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973: spec/openapi.yml (pinned to e2b-dev/infra e19a12b8), operations
// POST /sandboxes (NewSandbox -> 201 Sandbox), GET /sandboxes/{sandboxID} (SandboxDetail),
// GET /v2/sandboxes (ListedSandbox[], X-Next-Token, limit <= 100, metadata "k=v&k2=v2"),
// DELETE /sandboxes/{sandboxID} (204), POST /sandboxes/{sandboxID}/pause (204, 409 when paused),
// POST /sandboxes/{sandboxID}/connect (ConnectSandbox -> 200/201 Sandbox),
// POST /sandboxes/{sandboxID}/timeout (SandboxTimeoutRequest {timeout: int32 seconds} -> 204, 404 when unknown),
// Error {code, error_code, message}.

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
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
import static dev.sandboxer.provider.e2b.E2bStubs.API_KEY;
import static dev.sandboxer.provider.e2b.E2bStubs.SANDBOX_ID;
import static dev.sandboxer.provider.e2b.E2bStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class E2bControlPlaneTests {

	private static final String CREATED = """
			{"templateID":"tpl-1","sandboxID":"sbx1abc","alias":"mine","clientID":"c1","envdVersion":"0.5.8",
			 "envdAccessToken":"envd-token-7f3a9c21","trafficAccessToken":null,"domain":null}
			""";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void createSendsTheSpecBodyAndBuildsTheInfoFromTheAnswer() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(okJson(CREATED).withStatus(201)));
		Instant before = Instant.now();
		ProviderSandbox sandbox = await(this.provider.createSandbox(CreateSandboxRequest.builder()
			.template("my-template")
			.timeout(Duration.ofMinutes(2))
			.metadata("team", "a")
			.env("A", "1")
			.port(8080)
			.option("auto-pause", "true")
			.option("allowInternetAccess", "false")
			.build()));
		wm.verify(postRequestedFor(urlPathEqualTo("/sandboxes")).withHeader("X-API-Key", equalTo(API_KEY))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"templateID":"my-template","timeout":120,"autoPause":true,"secure":true,
					 "allow_internet_access":false,"metadata":{"team":"a"},"envVars":{"A":"1"}}
					""")));
		SandboxInfo info = sandbox.initialInfo();
		assertThat(info.id()).isEqualTo(SANDBOX_ID);
		assertThat(info.provider()).isEqualTo(ProviderName.E2B);
		assertThat(info.template()).isEqualTo("tpl-1");
		assertThat(info.status()).isEqualTo(SandboxStatus.RUNNING);
		assertThat(info.metadata()).containsExactly(Map.entry("team", "a"));
		assertThat(info.startedAt()).isBetween(before, Instant.now());
		assertThat(Duration.between(info.startedAt(), info.expiresAt())).isEqualTo(Duration.ofMinutes(2));
		assertThat(sandbox.id()).isEqualTo(SANDBOX_ID);
		wm.verify(0, getRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)));
	}

	@Test
	void createUsesTheConfiguredTemplateAndTheSdkDefaults() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(okJson(CREATED).withStatus(201)));
		await(this.provider.createSandbox(CreateSandboxRequest.builder().build()));
		wm.verify(postRequestedFor(urlPathEqualTo("/sandboxes")).withRequestBody(equalToJson("""
				{"templateID":"base","timeout":300,"secure":true,"allow_internet_access":true}
				""")));
	}

	@Test
	void createRefusesWhatE2bCannotDoBeforeSendingAnything() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> await(this.provider
				.createSandbox(CreateSandboxRequest.builder().option("autoPuase", "true").build())))
			.withMessageContaining("autoPuase")
			.withMessageContaining(CreateOptions.KNOWN);
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> await(
					this.provider.createSandbox(CreateSandboxRequest.builder().option("secure", "yes").build())))
			.withMessageContaining("true or false");
		assertThatExceptionOfType(BadConfigException.class).isThrownBy(() -> await(
				this.provider.createSandbox(CreateSandboxRequest.builder().option("autoResume", "true").build())))
			.withMessageContaining("autoPause=true");
		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().cpus(4).build())))
			.withMessageContaining("template");
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void autoResumeIsSentAsTheSpecsObject() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(okJson(CREATED).withStatus(201)));
		await(this.provider.createSandbox(CreateSandboxRequest.builder()
			.option("autoPause", "true")
			.option("auto_resume", "true")
			.option("autoPauseMemory", "true")
			.build()));
		wm.verify(postRequestedFor(urlPathEqualTo("/sandboxes")).withRequestBody(equalToJson("""
				{"templateID":"base","timeout":300,"autoPause":true,"autoPauseMemory":true,
				 "autoResume":{"enabled":true},"secure":true,"allow_internet_access":true}
				""")));
	}

	@Test
	void infoMapsTheSandboxDetail() {
		wm.stubFor(get(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)).willReturn(okJson(E2bStubs.detail("0.5.8", "paused"))));
		ProviderSandbox sandbox = await(this.provider.attachSandbox(SANDBOX_ID));
		SandboxInfo info = await(sandbox.info());
		assertThat(info).isEqualTo(new SandboxInfo(SANDBOX_ID, ProviderName.E2B, "tpl-base", SandboxStatus.PAUSED,
				Instant.parse("2026-01-02T03:04:05.123Z"), Instant.parse("2026-01-02T03:09:05Z"), Map.of("team", "a"),
				2, 512));
		assertThat(sandbox.initialInfo()).isEqualTo(info);
		wm.verify(2, getRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)).withHeader("X-API-Key",
				equalTo(API_KEY)));
	}

	@Test
	void attachingASandboxThatDoesNotExistIsNotFound() {
		wm.stubFor(get(urlPathEqualTo("/sandboxes/nope"))
			.willReturn(aResponse().withStatus(404).withBody("{\"code\":404,\"message\":\"sandbox \\\"nope\\\" not found\"}")));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> await(this.provider.attachSandbox("nope")))
			.withMessage("e2b attachSandbox failed: HTTP 404: sandbox \"nope\" not found");
	}

	@Test
	void listPagesUntilTheLimitIsMet() {
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).withQueryParam("nextToken", absent())
			.willReturn(okJson("[" + listed("s1") + "," + listed("s2") + "]").withHeader("X-Next-Token", "page-2")));
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).withQueryParam("nextToken", equalTo("page-2"))
			.willReturn(okJson("[" + listed("s3") + "]").withHeader("X-Next-Token", "page-3")));
		List<SandboxInfo> found = await(this.provider
			.listSandboxes(ListSandboxesFilter.builder().metadata("team", "a b&c").limit(3).build()));
		assertThat(found).extracting(SandboxInfo::id).containsExactly("s1", "s2", "s3");
		assertThat(found.get(0).status()).isEqualTo(SandboxStatus.RUNNING);
		wm.verify(getRequestedFor(urlPathEqualTo("/v2/sandboxes")).withQueryParam("limit", equalTo("3"))
			.withQueryParam("metadata", equalTo("team=a%20b%26c"))
			.withQueryParam("nextToken", absent())
			.withHeader("X-API-Key", equalTo(API_KEY)));
		wm.verify(getRequestedFor(urlPathEqualTo("/v2/sandboxes")).withQueryParam("limit", equalTo("1"))
			.withQueryParam("nextToken", equalTo("page-2")));
		wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/sandboxes")));
	}

	@Test
	void listWithoutALimitReadsEveryPageAtTheLargestSize() {
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).withQueryParam("nextToken", absent())
			.willReturn(okJson("[" + listed("s1") + "]").withHeader("X-Next-Token", "t2")));
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).withQueryParam("nextToken", equalTo("t2"))
			.willReturn(okJson("[" + listed("s2") + "]")));
		assertThat(await(this.provider.listSandboxes(ListSandboxesFilter.all()))).extracting(SandboxInfo::id)
			.containsExactly("s1", "s2");
		wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/sandboxes")).withQueryParam("limit", equalTo("100"))
			.withQueryParam("metadata", absent()));
	}

	@Test
	void killDeletesAndAMissingSandboxIsNotFound() {
		wm.stubFor(delete(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)).willReturn(aResponse().withStatus(204)));
		wm.stubFor(delete(urlPathEqualTo("/sandboxes/gone")).willReturn(aResponse().withStatus(404)));
		await(this.provider.killSandbox(SANDBOX_ID));
		wm.verify(deleteRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID)).withHeader("X-API-Key",
				equalTo(API_KEY)));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.provider.killSandbox("gone")));
	}

	@Test
	void pauseKeepsMemoryAndAnAlreadyPausedSandboxIsFine() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/pause")).willReturn(aResponse().withStatus(409)
			.withBody("{\"code\":409,\"message\":\"sandbox is already paused\"}")));
		await(sandbox.pause());
		wm.verify(postRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/pause"))
			.withRequestBody(equalToJson("{\"memory\":true}")));
	}

	@Test
	void resumeConnectsWithTheSandboxLifetime() {
		wm.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(okJson(CREATED).withStatus(201)));
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/connect")).willReturn(okJson(CREATED).withStatus(201)));
		ProviderSandbox sandbox = await(
				this.provider.createSandbox(CreateSandboxRequest.builder().timeout(Duration.ofMinutes(10)).build()));
		await(sandbox.resume());
		wm.verify(postRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/connect"))
			.withHeader("X-API-Key", equalTo(API_KEY))
			.withRequestBody(equalToJson("{\"timeout\":600}")));
	}

	@Test
	void setTimeoutPostsWholeSecondsRoundedUpAndInfoReadsTheNewEnd() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout")).willReturn(aResponse().withStatus(204)));
		await(sandbox.setTimeout(Duration.ofMillis(90_001)));
		wm.verify(1, postRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout"))
			.withHeader("X-API-Key", equalTo(API_KEY))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("{\"timeout\":91}")));
		wm.stubFor(get(urlPathEqualTo("/sandboxes/" + SANDBOX_ID))
			.willReturn(okJson(E2bStubs.detail("0.5.8", "running").replace("2026-01-02T03:09:05Z", "2026-01-02T03:20:00Z"))));
		assertThat(await(sandbox.info()).expiresAt()).isEqualTo(Instant.parse("2026-01-02T03:20:00Z"));
	}

	@Test
	void setTimeoutOnAMissingSandboxIsNotFound() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout")).willReturn(aResponse().withStatus(404)
			.withBody("{\"code\":404,\"message\":\"sandbox \\\"sbx1abc\\\" not found\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(sandbox.setTimeout(Duration.ofMinutes(1))))
			.withMessage("e2b setTimeout failed: HTTP 404: sandbox \"sbx1abc\" not found");
	}

	/** Each call restarts the count from its own arrival, so repeating one after a 503 is safe. */
	@Test
	void setTimeoutIsRepeatedAfterA503() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout")).inScenario("timeout")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("recovered")
			.willReturn(aResponse().withStatus(503)));
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout")).inScenario("timeout")
			.whenScenarioStateIs("recovered")
			.willReturn(aResponse().withStatus(204)));
		await(sandbox.setTimeout(Duration.ofMinutes(1)));
		wm.verify(2, postRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout"))
			.withRequestBody(equalToJson("{\"timeout\":60}")));
	}

	@Test
	void aResumeAfterSetTimeoutGrantsTheNewLifetime() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/timeout")).willReturn(aResponse().withStatus(204)));
		wm.stubFor(post(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/connect")).willReturn(okJson(CREATED)));
		await(sandbox.resume());
		await(sandbox.setTimeout(Duration.ofMinutes(20)));
		await(sandbox.resume());
		List<String> connectBodies = wm.findAll(postRequestedFor(urlPathEqualTo("/sandboxes/" + SANDBOX_ID + "/connect")))
			.stream()
			.map((request) -> request.getBodyAsString().replace(" ", ""))
			.toList();
		assertThat(connectBodies).containsExactly("{\"timeout\":300}", "{\"timeout\":1200}");
	}

	@Test
	void pingIsOneAuthenticatedListRowAndShowsNoSecret() {
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).willReturn(okJson("[]")));
		Map<String, String> details = await(this.provider.ping());
		assertThat(details).containsEntry("apiUrl", wm.baseUrl()).containsEntry("domain", "e2b.app");
		assertThat(details.values()).noneMatch((value) -> value.contains(API_KEY));
		wm.verify(getRequestedFor(urlPathEqualTo("/v2/sandboxes")).withQueryParam("limit", equalTo("1"))
			.withHeader("X-API-Key", equalTo(API_KEY)));
	}

	@Test
	void portUrlFollowsTheDomainRule() {
		ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");
		assertThat(await(sandbox.portUrl(3000))).isEqualTo("https://3000-" + SANDBOX_ID + ".e2b.app");
	}

	private static String listed(String id) {
		return """
				{"templateID":"base","sandboxID":"%s","clientID":"c","startedAt":"2026-01-02T03:04:05Z",
				 "endAt":"2026-01-02T03:09:05Z","cpuCount":2,"memoryMB":512,"diskSizeMB":1024,
				 "metadata":{"team":"a b&c"},"state":"running","envdVersion":"0.5.8"}
				""".formatted(id);
	}

}
