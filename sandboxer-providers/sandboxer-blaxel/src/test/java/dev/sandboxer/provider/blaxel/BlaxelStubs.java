package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sdk-typescript at bc44c2710d06faf12313fd4782c1d65146338b0d (@blaxel/core/src/client/
// types.gen.ts: Sandbox, SandboxList, Preview, _Error, SandboxError) and blaxel-ai/sandbox at
// bfecd2e7da6a726d6bbd8c010b511a6f9fc43121 (sandbox-api/docs/openapi.yml and src/handler/*.go).

import java.time.Duration;
import java.util.Map;
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

final class BlaxelStubs {

	static final Duration LIMIT = Duration.ofSeconds(20);

	static final String API_KEY = "bl_53cr3tkey0123456789abcdef";

	static final String WORKSPACE = "acme";

	static final String NAME = "sandboxer-abc123def456";

	/** Where the stubbed sandbox-api lives: under the same WireMock server, as metadata.url says. */
	static final String SANDBOX_PATH = "/run/acme/sandboxes/" + NAME;

	private BlaxelStubs() {
	}

	static SandboxProvider provider(WireMockExtension wm) {
		return new BlaxelProviderFactory().create(config(wm).build());
	}

	static ProviderConfig.Builder config(WireMockExtension wm) {
		return ProviderConfig.builder()
			.apiKey(API_KEY)
			.baseUrl(wm.baseUrl() + "/v0")
			.extra("workspace", WORKSPACE)
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(1500)))
			.environment((name) -> null);
	}

	/** A sandbox row as the control plane returns it. */
	static String sandbox(WireMockExtension wm, String status, String state) {
		return """
				{"metadata":{"name":"%s","url":"%s","labels":{"team":"core"},"createdAt":"2026-01-02T03:04:05Z",
				 "workspace":"acme"},
				 "spec":{"runtime":{"image":"blaxel/base-image:latest","memory":4096,"ttl":"600s"},"region":"us-pdx-1"},
				 "status":"%s","state":"%s","expiresIn":599}
				""".formatted(NAME, wm.baseUrl() + SANDBOX_PATH, status, state);
	}

	static ProviderSandbox attached(WireMockExtension wm, SandboxProvider provider) {
		wm.stubFor(get(urlPathEqualTo("/v0/sandboxes/" + NAME)).willReturn(okJson(sandbox(wm, "DEPLOYED", "RUNNING"))));
		return await(provider.attachSandbox(NAME));
	}

	static String event(String type, String data) {
		return new String(new dev.sandboxer.http.JsonCodec().write(Map.of("type", type, "data", data)),
				java.nio.charset.StandardCharsets.UTF_8);
	}

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
