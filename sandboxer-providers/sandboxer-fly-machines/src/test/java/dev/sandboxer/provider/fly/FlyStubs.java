package dev.sandboxer.provider.fly;

import java.time.Duration;
import java.util.LinkedHashMap;
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
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Fixtures for the Fly tests, shaped as superfly/docs {@code api/machines/openapi.json} at commit 462dcb90 says
 * ({@code Machine}, {@code flydv1.ExecResponse}, {@code ErrorResponse}), with the lease answer as superfly/fly-go at
 * 22d6e518 reads it ({@code MachineLease}: {@code {"status","data":{"nonce",...}}}).
 */
final class FlyStubs {

	static final Duration LIMIT = Duration.ofSeconds(20);

	static final String TOKEN = "fo1_53cr3tT0k3n0123456789";

	static final String APP = "sbx-app";

	static final String MACHINE_ID = "3d8d9e1b2c4e78";

	static final String MACHINES = "/v1/apps/" + APP + "/machines";

	static final String MACHINE = MACHINES + "/" + MACHINE_ID;

	static final String EXEC = MACHINE + "/exec";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private FlyStubs() {
	}

	static ProviderConfig.Builder config(WireMockExtension wm) {
		return ProviderConfig.builder()
			.apiKey(TOKEN)
			.baseUrl(wm.baseUrl())
			.extra("app", APP)
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofSeconds(2)))
			.environment((name) -> null);
	}

	static SandboxProvider provider(WireMockExtension wm) {
		return new FlyProviderFactory().create(config(wm).build());
	}

	/** A {@code Machine} in the given state, with user metadata {team: a} and a service on 8080. */
	static String machine(String id, String state) {
		return """
				{"id":"%s","name":"quiet-sun-1234","state":"%s","region":"ams","instance_id":"01J0V","version":"01J0V",
				 "private_ip":"fdaa:0:1::2","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:07Z",
				 "host_status":"ok","cordoned":false,
				 "image_ref":{"registry":"docker-hub-mirror.fly.io","repository":"library/alpine","tag":"latest"},
				 "config":{"image":"alpine:latest","env":{"A":"1"},
				   "metadata":{"team":"a","sandboxer_managed":"true","sandboxer_expires_at":"1767323345"},
				   "guest":{"cpu_kind":"shared","cpus":2,"memory_mb":512},"auto_destroy":true,
				   "restart":{"policy":"no"},
				   "services":[{"protocol":"tcp","internal_port":8080,"autostop":false,"autostart":false,
				     "ports":[{"port":8080,"handlers":["tls","http"]}]},
				    {"protocol":"tcp","internal_port":9000,"ports":[{"port":80,"handlers":["http"]}]}]}}
				""".formatted(id, state);
	}

	static String machine(String state) {
		return machine(MACHINE_ID, state);
	}

	static ProviderSandbox attach(WireMockExtension wm, SandboxProvider provider) {
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("started"))));
		return await(provider.attachSandbox(MACHINE_ID));
	}

	static String execAnswer(int exitCode, String stdout, String stderr) {
		Map<String, Object> answer = new LinkedHashMap<>();
		if (exitCode != 0) {
			// fly-go's MachineExecResponse leaves a zero exit_code out: the stubs do the same.
			answer.put("exit_code", exitCode);
		}
		answer.put("stdout", stdout);
		answer.put("stderr", stderr);
		return JSON.writeValueAsString(answer);
	}

	static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
