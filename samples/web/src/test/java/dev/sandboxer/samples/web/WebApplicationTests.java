package dev.sandboxer.samples.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web sample over HTTP with two providers at once: {@code local} on the real Docker engine, and {@code e2b}
 * pointed at a WireMock E2B. Reads health, metrics and the sandboxes endpoint as a user's {@code curl} would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"sandboxer.default-provider=local", "sandboxer.providers.local.image=sandboxer-test/busybox:latest",
		"sandboxer.health.cache-time-to-live=0s",
		// The readiness group the README documents: a provider's failure takes the app out of rotation only.
		"management.endpoint.health.group.readiness.include=readinessState,sandboxer",
		"management.endpoint.health.group.readiness.show-details=always",
		"management.endpoint.health.group.readiness.status.order=down,out-of-service,provider-down,up,unknown",
		"management.endpoint.health.group.readiness.status.http-mapping.provider-down=503" })
class WebApplicationTests {

	private static final E2bStub e2b = new E2bStub().start();

	private static final String RUN = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void e2bProperties(DynamicPropertyRegistry registry) {
		registry.add("sandboxer.providers.e2b.api-key", () -> E2bStub.API_KEY);
		registry.add("sandboxer.providers.e2b.base-url", e2b::url);
		registry.add("sandboxer.providers.e2b.sandbox-url", e2b::url);
		registry.add("sample.metadata.test-run", () -> RUN);
	}

	@AfterAll
	static void stopE2b() {
		e2b.stop();
	}

	@Test
	void runShouldReturnOutputAndExitCodeFromAThrowawaySandbox() {
		HttpResponse<String> response = http().post("/run", "echo out; echo err >&2; exit 3");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode result = Http.json(response);
		assertThat(result.get("exitCode").asInt()).isEqualTo(3);
		assertThat(result.get("stdout").asString()).isEqualTo("out\n");
		assertThat(result.get("stderr").asString()).isEqualTo("err\n");
		String sandboxId = result.get("sandboxId").asString();
		assertThat(http().get("/actuator/sandboxes/local/" + sandboxId).statusCode()).isEqualTo(404);
	}

	@Test
	void fileShouldGoInAndComeBackOut() {
		String id = Http.json(http().post("/sandboxes", "")).get("id").asString();
		byte[] content = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
		assertThat(http().put("/sandboxes/" + id + "/files?path=/work/notes.txt", content).statusCode())
			.isEqualTo(204);
		assertThat(http().getBytes("/sandboxes/" + id + "/files?path=/work/notes.txt").body()).isEqualTo(content);
		JsonNode counted = Http.json(http().post("/sandboxes/" + id + "/run?cwd=/work", "wc -l < notes.txt"));
		assertThat(counted.get("stdout").asString().strip()).isEqualTo("2");
		assertThat(http().getBytes("/sandboxes/" + id + "/files?path=/work/missing.txt").statusCode())
			.isEqualTo(404);
		assertThat(http().delete("/sandboxes/" + id).statusCode()).isEqualTo(204);
		assertThat(http().delete("/sandboxes/" + id).statusCode()).isEqualTo(404);
	}

	@Test
	void healthShouldShowBothProviders() {
		HttpResponse<String> response = http().get("/actuator/health");
		JsonNode sandboxer = Http.json(response).get("components").get("sandboxer");
		assertThat(sandboxer.get("status").asString()).isEqualTo("UP");
		JsonNode local = sandboxer.get("components").get("local");
		assertThat(local.get("status").asString()).isEqualTo("UP");
		assertThat(local.get("details").get("type").asString()).isEqualTo("local");
		assertThat(local.get("details").toString()).containsIgnoringCase("version");
		JsonNode remote = sandboxer.get("components").get("e2b");
		assertThat(remote.get("status").asString()).isEqualTo("UP");
		assertThat(response.body()).doesNotContain(E2bStub.API_KEY);
	}

	@Test
	void unauthorizedE2bShouldShowWithItsReasonAndNoKeyWithoutFailingTheAppButFailReadiness() {
		StubMapping refusal = e2b.server().stubFor(get(urlPathEqualTo("/v2/sandboxes")).atPriority(1)
			.willReturn(aResponse().withStatus(401)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"code\": 401, \"message\": \"Invalid API key\"}")));
		try {
			HttpResponse<String> response = http().get("/actuator/health");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(Http.json(response).get("status").asString()).isEqualTo("UP");
			JsonNode remote = Http.json(response).get("components").get("sandboxer").get("components").get("e2b");
			assertThat(remote.get("status").asString()).isEqualTo("PROVIDER_DOWN");
			assertThat(remote.get("details").get("reason").asString()).isEqualTo("unauthorized");
			String error = remote.get("details").get("error").asString();
			assertThat(error.indexOf("Invalid API key")).isEqualTo(error.lastIndexOf("Invalid API key"));
			assertThat(response.body()).doesNotContain(E2bStub.API_KEY);

			HttpResponse<String> readiness = http().get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(Http.json(readiness).get("components").get("sandboxer").get("status").asString())
				.isEqualTo("PROVIDER_DOWN");
			assertThat(http().get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		}
		finally {
			e2b.server().removeStub(refusal);
		}
	}

	@Test
	void metricsShouldTimeOperationsAndCountSandboxes() {
		String id = Http.json(http().post("/sandboxes", "")).get("id").asString();
		JsonNode active = Http.json(http().get("/actuator/metrics/sandboxer.sandboxes.active?tag=provider:local"));
		assertThat(active.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
		http().delete("/sandboxes/" + id);

		JsonNode timer = Http.json(http().get("/actuator/metrics/sandboxer.operation"));
		List<String> tags = new ArrayList<>();
		timer.get("availableTags").forEach((tag) -> tags.add(tag.get("tag").asString()));
		assertThat(tags).contains("provider", "provider.type", "operation", "outcome", "error");
		JsonNode created = Http.json(http().get(
				"/actuator/metrics/sandboxer.operation?tag=provider:local&tag=operation:create_sandbox&tag=outcome:SUCCESS"));
		assertThat(created.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
		JsonNode killed = Http.json(http().get("/actuator/metrics/sandboxer.sandboxes.killed?tag=provider:local"));
		assertThat(killed.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void sandboxesEndpointShouldListDescribeAndKill() {
		String id = Http.json(http().post("/sandboxes", "")).get("id").asString();
		JsonNode own = Http.json(http().get("/actuator/sandboxes"));
		assertThat(own.get("scope").asString()).isEqualTo("created-here");
		assertThat(own.get("providers").get("local").get("type").asString()).isEqualTo("local");
		assertThat(own.get("providers").get("local").get("sandboxes").toString()).contains(id);
		assertThat(own.get("providers").get("e2b").get("sandboxes").toString()).doesNotContain(E2bStub.LISTED_ID);
		JsonNode all = Http.json(http().get("/actuator/sandboxes?all=true")).get("providers");
		JsonNode listed = all.get("e2b").get("sandboxes").get(0);
		assertThat(listed.get("id").asString()).isEqualTo(E2bStub.LISTED_ID);
		assertThat(listed.get("createdHere").asBoolean()).isFalse();
		assertThat(listed.get("startedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

		JsonNode one = Http.json(http().get("/actuator/sandboxes/local/" + id));
		assertThat(one.get("status").asString()).isEqualTo("running");
		assertThat(one.get("createdHere").asBoolean()).isTrue();
		assertThat(one.get("metadata").get("test-run").asString()).isEqualTo(RUN);
		assertThat(one.get("startedAt").asString()).matches(".*\\.\\d{3}Z");
		assertThat(one.get("expiresAt").asString()).matches(".*\\.\\d{3}Z");

		HttpResponse<String> foreign = http().delete("/actuator/sandboxes/e2b/" + E2bStub.LISTED_ID);
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(Http.json(foreign).get("reason").asString()).contains("force=true");

		JsonNode killed = Http.json(http().delete("/actuator/sandboxes/local/" + id));
		assertThat(killed.get("killed").asBoolean()).isTrue();
		assertThat(http().get("/actuator/sandboxes/local/" + id).statusCode()).isEqualTo(404);
		HttpResponse<String> again = http().delete("/actuator/sandboxes/local/" + id);
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(Http.json(again).get("result").asString()).isEqualTo("not_found");
		HttpResponse<String> nowhere = http().get("/actuator/sandboxes/nowhere/" + id);
		assertThat(nowhere.statusCode()).isEqualTo(404);
		assertThat(Http.json(nowhere).get("reason").asString()).contains("No provider named 'nowhere'");
		assertThat(http().delete("/actuator/sandboxes/nowhere/" + id).statusCode()).isEqualTo(404);
	}

	private Http http() {
		return new Http(this.port);
	}

}
