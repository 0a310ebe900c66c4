package dev.sandboxer.samples.web;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * An E2B control plane on WireMock, answering as E2B's published API does: one sandbox already running
 * ({@value #LISTED_ID}), and one more for each create ({@value #CREATED_ID}).
 */
final class E2bStub {

	static final String API_KEY = "e2b_test_0123456789abcdef";

	static final String LISTED_ID = "ilisted0e2b";

	static final String CREATED_ID = "icreated0e2b";

	private final WireMockServer server = new WireMockServer(options().dynamicPort());

	E2bStub start() {
		this.server.start();
		this.server.stubFor(get(urlPathEqualTo("/v2/sandboxes")).willReturn(okJson("""
				[{"sandboxID": "%s", "templateID": "base", "clientID": "c1",
				  "startedAt": "2026-11-26T10:00:00Z", "endAt": "2026-11-26T11:00:00Z",
				  "cpuCount": 2, "memoryMB": 512, "diskSizeMB": 1024, "metadata": {"team": "docs"},
				  "state": "running", "envdVersion": "0.2.0"}]
				""".formatted(LISTED_ID))));
		this.server.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody("""
					{"sandboxID": "%s", "templateID": "base", "clientID": "c1", "envdVersion": "0.2.0",
					 "envdAccessToken": "envd-token", "domain": null}
					""".formatted(CREATED_ID))));
		this.server.stubFor(get(urlPathEqualTo("/sandboxes/" + CREATED_ID)).willReturn(okJson("""
				{"sandboxID": "%s", "templateID": "base", "clientID": "c1",
				 "startedAt": "2026-11-26T10:05:00Z", "endAt": "2026-11-26T10:35:00Z", "envdVersion": "0.2.0",
				 "envdAccessToken": "envd-token", "cpuCount": 2, "memoryMB": 512, "diskSizeMB": 1024,
				 "metadata": {}, "state": "running"}
				""".formatted(CREATED_ID))));
		this.server.stubFor(get(urlPathEqualTo("/sandboxes/" + LISTED_ID)).willReturn(okJson("""
				{"sandboxID": "%s", "templateID": "base", "clientID": "c1",
				 "startedAt": "2026-11-26T10:00:00Z", "endAt": "2026-11-26T11:00:00Z", "envdVersion": "0.2.0",
				 "cpuCount": 2, "memoryMB": 512, "diskSizeMB": 1024, "metadata": {"team": "docs"},
				 "state": "running"}
				""".formatted(LISTED_ID))));
		this.server.stubFor(delete(urlPathEqualTo("/sandboxes/" + CREATED_ID)).willReturn(aResponse().withStatus(204)));
		return this;
	}

	String url() {
		return this.server.baseUrl();
	}

	WireMockServer server() {
		return this.server;
	}

	void stop() {
		this.server.stop();
	}

}
