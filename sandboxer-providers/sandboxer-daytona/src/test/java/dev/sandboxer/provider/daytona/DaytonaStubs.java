package dev.sandboxer.provider.daytona;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Fixtures for the Daytona tests, shaped as daytonaio/daytona at commit b5a5d9e7 says: API bodies per
 * {@code libs/api-client-go/api/openapi.yaml} ({@code Sandbox}, {@code ListSandboxesResponse}), toolbox bodies per
 * {@code apps/daemon/pkg/toolbox/docs/swagger.yaml} and the daemon code under {@code apps/daemon/pkg/toolbox}. The
 * WireMock server is both the API (under {@code /api}) and the toolbox proxy (under {@code /toolbox}), the latter
 * reached through the {@code toolboxProxyUrl} the sandbox DTO carries, as in production.
 */
final class DaytonaStubs {

	static final Duration LIMIT = Duration.ofSeconds(20);

	static final String API_KEY = "dtn_53cr3t0123456789abcdef";

	static final String SANDBOX_ID = "sb-7f3a9c21";

	/** The toolbox path prefix of {@link #SANDBOX_ID}. */
	static final String TOOLBOX = "/toolbox/" + SANDBOX_ID;

	private DaytonaStubs() {
	}

	static SandboxProvider provider(WireMockExtension wm) {
		return new DaytonaProviderFactory().create(config(wm).build());
	}

	static ProviderConfig.Builder config(WireMockExtension wm) {
		return ProviderConfig.builder()
			.apiKey(API_KEY)
			.baseUrl(wm.baseUrl() + "/api")
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofSeconds(2)))
			.environment((name) -> null);
	}

	/** A {@code Sandbox} DTO with every required field, in the given state. */
	static String sandbox(WireMockExtension wm, String id, String state) {
		return """
				{"id":"%s","organizationId":"org-1","name":"%s","snapshot":"daytonaio/sandbox:0.4.3","user":"daytona",
				 "env":{},"labels":{"team":"a"},"public":false,"networkBlockAll":false,"target":"us","cpu":2,"gpu":0,
				 "memory":4,"disk":10,"state":"%s","desiredState":"started","autoStopInterval":15,
				 "autoArchiveInterval":10080,"autoDeleteInterval":-1,"createdAt":"2026-01-02T03:04:05.000Z",
				 "updatedAt":"2026-01-02T03:05:00.000Z","lastActivityAt":"2026-01-02T03:06:00.000Z",
				 "sandboxClass":"container","toolboxProxyUrl":"%s/toolbox"}
				""".formatted(id, id, state, wm.baseUrl());
	}

	/** Stubs {@code GET /sandbox/{id}} as started and attaches: the usual way into a sandbox for toolbox tests. */
	static ProviderSandbox attach(WireMockExtension wm, SandboxProvider provider) {
		wm.stubFor(get(urlPathEqualTo("/api/sandbox/" + SANDBOX_ID)).willReturn(okJson(sandbox(wm, SANDBOX_ID,
				"started"))));
		return await(provider.attachSandbox(SANDBOX_ID));
	}

	/** Waits for a provider future within {@link #LIMIT} and rethrows its failure as the typed error it is. */
	static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new AssertionError(ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("No outcome within " + LIMIT, ex);
		}
	}

}
