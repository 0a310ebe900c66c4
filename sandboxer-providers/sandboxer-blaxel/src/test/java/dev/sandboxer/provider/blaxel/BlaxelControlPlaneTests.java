package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sdk-typescript at bc44c2710d06faf12313fd4782c1d65146338b0d: @blaxel/core/src/client/
// sdk.gen.ts and types.gen.ts (POST/GET/PUT/DELETE /sandboxes[/{sandboxName}], SandboxList {data, meta}, Preview
// under /sandboxes/{sandboxName}/previews) and @blaxel/core/src/common/settings.ts (Blaxel-Version 2026-04-28).

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.NAME;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.WORKSPACE;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.await;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlaxelControlPlaneTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = BlaxelStubs.provider(wm);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void createSendsNameLabelsRuntimeAndTtlAndReadsTheSandboxUrlFromTheAnswer() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(okJson(sandbox(wm, "DEPLOYING", "RUNNING"))));
		ProviderSandbox created = await(this.provider.createSandbox(CreateSandboxRequest.builder()
			.template("blaxel/py-app:latest")
			.timeout(Duration.ofMinutes(10))
			.metadata("team", "core")
			.env("MODE", "test")
			.cpus(2)
			.ports(3000, 8080)
			.option("name", NAME)
			.option("region", "us-pdx-1")
			.build()));

		assertThat(created.id()).isEqualTo(NAME);
		assertThat(created.initialInfo().status()).isEqualTo(SandboxStatus.STARTING);
		assertThat(created.initialInfo().memoryMb()).isEqualTo(4096);
		assertThat(created.initialInfo().cpus()).isEqualTo(2);
		assertThat(created.initialInfo().expiresAt()).isEqualTo(Instant.parse("2026-01-02T03:14:05Z"));
		wm.verify(postRequestedFor(urlEqualTo("/v0/sandboxes"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE))
			.withHeader("Blaxel-Version", equalTo("2026-04-28"))
			.withRequestBody(equalToJson("""
					{"metadata":{"name":"sandboxer-abc123def456","labels":{"team":"core"}},
					 "spec":{"runtime":{"image":"blaxel/py-app:latest","memory":4096,
					   "ports":[{"target":3000,"protocol":"HTTP"},{"target":8080,"protocol":"HTTP"}],
					   "envs":[{"name":"MODE","value":"test"}],"ttl":"600s"},"region":"us-pdx-1"}}
					""")));
		// The sandbox-api is at metadata.url: a call there proves it.
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/process")).willReturn(okJson("[]")));
		assertThat(await(created.listProcesses())).isEmpty();
	}

	/** A sandbox record without {@code metadata.url}, as types.gen.ts allows (url is optional and read-only). */
	private static String withoutUrl(String status) {
		return """
				{"metadata":{"name":"%s","workspace":"acme"},
				 "spec":{"runtime":{"image":"blaxel/base-image:latest","memory":4096}},
				 "status":"%s","state":"RUNNING"}
				""".formatted(NAME, status);
	}

	@Test
	void aRecordWithoutAUrlIsReachedAtTheSdksFallbackAddressUnderTheRunUrl() {
		SandboxProvider edge = new BlaxelProviderFactory().create(BlaxelStubs.config(wm)
			.extra("run-url", wm.baseUrl() + "/edge")
			.build());
		try {
			wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(withoutUrl("DEPLOYED"))));
			String fallback = "/edge/acme/sandboxes/" + NAME;
			wm.stubFor(get(urlEqualTo(fallback + "/process")).willReturn(okJson("[]")));

			ProviderSandbox attached = await(edge.attachSandbox(NAME));
			assertThat(await(attached.listProcesses())).isEmpty();

			wm.verify(getRequestedFor(urlEqualTo(fallback + "/process"))
				.withHeader("Authorization", equalTo("Bearer " + API_KEY))
				.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE)));
		}
		finally {
			edge.close();
		}
	}

	@Test
	void aCreateAnsweredWithoutAUrlAsksOnceMoreThenFallsBack() {
		SandboxProvider edge = new BlaxelProviderFactory().create(BlaxelStubs.config(wm)
			.extra("run-url", wm.baseUrl() + "/edge/")
			.build());
		try {
			wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(okJson(withoutUrl("DEPLOYING"))));
			wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(withoutUrl("DEPLOYING"))));
			String fallback = "/edge/acme/sandboxes/" + NAME;
			wm.stubFor(get(urlEqualTo(fallback + "/process")).willReturn(okJson("[]")));

			ProviderSandbox created = await(edge.createSandbox(CreateSandboxRequest.builder().option("name", NAME)
				.build()));
			assertThat(await(created.listProcesses())).isEmpty();

			wm.verify(1, getRequestedFor(urlEqualTo("/v0/sandboxes/" + NAME)));
			wm.verify(getRequestedFor(urlEqualTo(fallback + "/process")));
		}
		finally {
			edge.close();
		}
	}

	@Test
	void createWithoutAnythingUsesTheSdkDefaultsAndAGeneratedName() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(okJson(sandbox(wm, "DEPLOYED", "RUNNING"))));
		await(this.provider.createSandbox(CreateSandboxRequest.builder().build()));
		wm.verify(postRequestedFor(urlEqualTo("/v0/sandboxes"))
			.withRequestBody(matchingJsonPath("$.metadata.name",
					com.github.tomakehurst.wiremock.client.WireMock.matching("sandboxer-[a-z0-9]{12}")))
			.withRequestBody(matchingJsonPath("$.spec.runtime.image", equalTo("blaxel/base-image:latest")))
			.withRequestBody(matchingJsonPath("$.spec.runtime.memory", equalTo("4096")))
			.withRequestBody(matchingJsonPath("$.spec.runtime.ttl", absent()))
			.withRequestBody(matchingJsonPath("$.metadata.labels", absent())));
	}

	@Test
	void cpusAndMemoryThatDisagreeAndUnknownOptionsAreRefusedBeforeAnyCall() {
		assertThatExceptionOfType(NotSupportedException.class).isThrownBy(() -> await(this.provider
			.createSandbox(CreateSandboxRequest.builder().cpus(1).memoryMb(4096).build())))
			.withMessageContaining("2048 MB");
		assertThatExceptionOfType(BadConfigException.class).isThrownBy(
				() -> await(this.provider.createSandbox(CreateSandboxRequest.builder().option("gpu", "a100").build())));
		wm.verify(0, postRequestedFor(urlEqualTo("/v0/sandboxes")));
	}

	@Test
	void aCreateCutByTheEdgeIsAwaitedByNameNotRepeated() {
		wm.stubFor(post(urlEqualTo("/v0/sandboxes")).willReturn(aResponse().withStatus(504)
			.withHeader("Content-Type", "text/html")
			.withBody("<html>504 Gateway Timeout</html>")));
		wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).inScenario("settle")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("there")
			.willReturn(aResponse().withStatus(404).withBody("{\"error\":\"not_found\",\"code\":404}")));
		wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).inScenario("settle")
			.whenScenarioStateIs("there")
			.willReturn(okJson(sandbox(wm, "DEPLOYED", "RUNNING"))));
		ProviderSandbox created = await(
				this.provider.createSandbox(CreateSandboxRequest.builder().option("name", NAME).build()));
		assertThat(created.initialInfo().status()).isEqualTo(SandboxStatus.RUNNING);
		wm.verify(1, postRequestedFor(urlEqualTo("/v0/sandboxes")));
	}

	@Test
	void standbyIsPausedAndPauseAndResumeAreHonestAboutIt() {
		wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(sandbox(wm, "DEPLOYED", "STANDBY"))));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/health")).willReturn(okJson("{\"status\":\"ok\"}")));
		ProviderSandbox attached = await(this.provider.attachSandbox(NAME));
		assertThat(attached.initialInfo().status()).isEqualTo(SandboxStatus.PAUSED);
		assertThat(attached.initialInfo().metadata()).isEqualTo(Map.of("team", "core"));

		await(attached.pause());
		// pause sends nothing that would change the sandbox: Blaxel puts it in standby by itself.
		wm.verify(0, putRequestedFor(urlPathEqualTo("/v0/sandboxes/" + NAME)));
		wm.verify(0, postRequestedFor(urlPathEqualTo("/v0/sandboxes/" + NAME)));
		await(attached.resume());
		wm.verify(1, getRequestedFor(urlEqualTo(SANDBOX_PATH + "/health")).withHeader("X-Blaxel-Workspace",
				equalTo(WORKSPACE)));
	}

	@Test
	void statusesMapHonestly() {
		assertThat(SandboxInfos.status("DEPLOYED", "RUNNING")).isEqualTo(SandboxStatus.RUNNING);
		assertThat(SandboxInfos.status("DEPLOYED", "STANDBY")).isEqualTo(SandboxStatus.PAUSED);
		assertThat(SandboxInfos.status("DEPLOYING", null)).isEqualTo(SandboxStatus.STARTING);
		assertThat(SandboxInfos.status("FAILED", null)).isEqualTo(SandboxStatus.ERROR);
		assertThat(SandboxInfos.status("TERMINATED", null)).isEqualTo(SandboxStatus.STOPPED);
		assertThat(SandboxInfos.status("DELETING", "RUNNING")).isEqualTo(SandboxStatus.STOPPED);
	}

	@Test
	void listPagesThroughCursorsNarrowsWithQAndFiltersLabelsExactly() {
		String other = sandbox(wm, "DEPLOYED", "RUNNING").replace(NAME, "other").replace("\"core\"", "\"corey\"");
		wm.stubFor(get(urlEqualTo("/v0/sandboxes?limit=200&q=core")).willReturn(okJson(
				"{\"data\":[" + sandbox(wm, "DEPLOYED", "RUNNING") + "," + other
						+ "],\"meta\":{\"hasMore\":true,\"nextCursor\":\"c2\"}}")));
		wm.stubFor(get(urlEqualTo("/v0/sandboxes?limit=200&q=core&cursor=c2")).willReturn(okJson(
				"{\"data\":[" + sandbox(wm, "DEPLOYED", "STANDBY").replace(NAME, "third")
						+ "],\"meta\":{\"hasMore\":false,\"nextCursor\":\"\"}}")));
		List<SandboxInfo> found = await(
				this.provider.listSandboxes(ListSandboxesFilter.builder().metadata("team", "core").build()));
		assertThat(found).extracting(SandboxInfo::id).containsExactly(NAME, "third");
		assertThat(found.get(1).status()).isEqualTo(SandboxStatus.PAUSED);
	}

	@Test
	void listReadsTheOlderBareArrayAndStopsAtTheLimit() {
		wm.stubFor(get(urlEqualTo("/v0/sandboxes?limit=200")).willReturn(okJson("[" + sandbox(wm, "DEPLOYED", "RUNNING")
				+ "," + sandbox(wm, "DEPLOYED", "RUNNING").replace(NAME, "second") + "]")));
		assertThat(await(this.provider.listSandboxes(ListSandboxesFilter.builder().limit(1).build())))
			.extracting(SandboxInfo::id)
			.containsExactly(NAME);
	}

	@Test
	void setTimeoutPutsTheSandboxBackWithANewMaxAgeAndKeepsWhatItDoesNotKnow() {
		String created = Instant.now().minusSeconds(100).toString();
		wm.stubFor(get(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(sandbox(wm, "DEPLOYED", "RUNNING")
			.replace("2026-01-02T03:04:05Z", created)
			.replace("\"region\":\"us-pdx-1\"", "\"region\":\"us-pdx-1\",\"vpc\":\"blue\""))));
		wm.stubFor(put(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(sandbox(wm, "DEPLOYED", "RUNNING"))));
		ProviderSandbox attached = await(this.provider.attachSandbox(NAME));
		await(attached.setTimeout(Duration.ofSeconds(300)));
		wm.verify(putRequestedFor(urlEqualTo("/v0/sandboxes/" + NAME))
			.withRequestBody(matchingJsonPath("$.spec.vpc", equalTo("blue")))
			.withRequestBody(matchingJsonPath("$.spec.runtime.image", equalTo("blaxel/base-image:latest")))
			.withRequestBody(matchingJsonPath("$.spec.runtime.ttl",
					com.github.tomakehurst.wiremock.client.WireMock.matching("40[0-9]s"))));
	}

	@Test
	void portUrlMakesAPublicPreviewOnceAndReusesIt() {
		String previewPath = "/v0/sandboxes/" + NAME + "/previews/sandboxer-port-3000";
		wm.stubFor(get(urlEqualTo(previewPath)).inScenario("preview")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(404).withBody("{\"error\":\"not found\"}")));
		wm.stubFor(post(urlEqualTo("/v0/sandboxes/" + NAME + "/previews")).inScenario("preview")
			.willSetStateTo("made")
			.willReturn(okJson("{\"metadata\":{\"name\":\"sandboxer-port-3000\"},"
					+ "\"spec\":{\"port\":3000,\"public\":true,\"url\":\"https://abc.preview.bl.run\"}}")));
		wm.stubFor(get(urlEqualTo(previewPath)).inScenario("preview")
			.whenScenarioStateIs("made")
			.willReturn(okJson("{\"metadata\":{\"name\":\"sandboxer-port-3000\"},"
					+ "\"spec\":{\"port\":3000,\"public\":true,\"url\":\"https://abc.preview.bl.run\"}}")));
		ProviderSandbox attached = BlaxelStubs.attached(wm, this.provider);
		assertThat(await(attached.portUrl(3000))).isEqualTo("https://abc.preview.bl.run");
		assertThat(await(attached.portUrl(3000))).isEqualTo("https://abc.preview.bl.run");
		wm.verify(1, postRequestedFor(urlEqualTo("/v0/sandboxes/" + NAME + "/previews"))
			.withRequestBody(equalToJson(
					"{\"metadata\":{\"name\":\"sandboxer-port-3000\"},\"spec\":{\"port\":3000,\"public\":true}}")));
	}

	@Test
	void killDeletesTheSandbox() {
		wm.stubFor(delete(urlEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(sandbox(wm, "DELETING", "RUNNING"))));
		await(this.provider.killSandbox(NAME));
		wm.verify(1, deleteRequestedFor(urlEqualTo("/v0/sandboxes/" + NAME)).withHeader("Authorization",
				equalTo("Bearer " + API_KEY)));
	}

	@Test
	void settingsNeedAWorkspaceAndFallBackToTheSdksEnvironment() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new BlaxelProviderFactory().create(dev.sandboxer.config.ProviderConfig.builder()
				.apiKey(API_KEY)
				.environment((name) -> null)
				.build()))
			.withMessageContaining("BL_WORKSPACE").withMessageContaining("workspace");
		Map<String, String> env = Map.of("BL_API_KEY", "k", "BL_WORKSPACE", "w", "BL_API_URL", "https://api.example/v0");
		BlaxelSettings settings = BlaxelSettings
			.from(dev.sandboxer.config.ProviderConfig.builder().environment(env::get).build());
		assertThat(settings.workspace()).isEqualTo("w");
		assertThat(settings.apiUrl()).hasToString("https://api.example/v0");
		assertThat(BlaxelSettings.from(dev.sandboxer.config.ProviderConfig.builder()
			.extra("workspace", "x")
			.environment((name) -> null)
			.build()).apiUrl()).hasToString("https://api.blaxel.ai/v0");
	}

}
