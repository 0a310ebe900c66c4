package dev.sandboxer.samples.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the web sample, creates sandboxes through its API on both providers, closes it, and asks Docker itself
 * (by label, not through Sandboxer) and the E2B stub whether anything it created is left.
 */
class NoSandboxOutlivesTheAppTests {

	private final String run = UUID.randomUUID().toString();

	private final E2bStub e2b = new E2bStub().start();

	private final DockerClient docker = docker();

	@AfterEach
	void cleanUp() throws Exception {
		// Only if the test failed: remove what this run left, found by its own label.
		for (Container container : containersOfThisRun()) {
			this.docker.removeContainerCmd(container.getId()).withForce(true).exec();
		}
		this.docker.close();
		this.e2b.stop();
	}

	@Test
	void closingTheAppShouldKillEverySandboxItCreatedAndDidNotDetach() {
		ConfigurableApplicationContext app = SpringApplication.run(WebApplication.class, "--server.port=0",
				"--sandboxer.default-provider=local", "--sandboxer.providers.local.image=sandboxer-test/busybox:latest",
				"--sandboxer.providers.e2b.api-key=" + E2bStub.API_KEY, "--sandboxer.providers.e2b.base-url=" + this.e2b.url(),
				"--sandboxer.providers.e2b.sandbox-url=" + this.e2b.url(), "--sample.metadata.test-run=" + this.run);
		Http http = new Http(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		http.post("/sandboxes", "");
		http.post("/sandboxes", "");
		assertThat(http.post("/sandboxes?provider=e2b", "").statusCode()).isEqualTo(201);
		assertThat(containersOfThisRun()).hasSize(2);

		app.close();

		assertThat(containersOfThisRun()).isEmpty();
		this.e2b.server().verify(1, deleteRequestedFor(urlPathEqualTo("/sandboxes/" + E2bStub.CREATED_ID)));
	}

	private List<Container> containersOfThisRun() {
		return this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of("sandboxer.meta.test-run", this.run))
			.exec();
	}

	private static DockerClient docker() {
		DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
		return DockerClientImpl.getInstance(config,
				new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
	}

}
