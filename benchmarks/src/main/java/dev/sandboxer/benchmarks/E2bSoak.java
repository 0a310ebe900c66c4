package dev.sandboxer.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.model.CommandResult;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Soak: create, run a command in, and kill (by closing it) E2B sandboxes again and again against an in-process
 * WireMock that answers as e2b-dev/E2B's specs say (commit b8029973: {@code POST /sandboxes} answering
 * {@code Sandbox} with a fresh id and access token each time, envd's {@code process.Process/Start} as a Connect
 * stream, {@code DELETE /sandboxes/{id}} with 204). Prints the JVM's thread count, open file descriptors and heap in
 * use after a full GC at the start, after a warm-up, and after every hundred cycles, then what the server saw:
 * sandboxes created and killed (their difference is what leaked).
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am compile exec:java -Dexec.mainClass=dev.sandboxer.benchmarks.E2bSoak
 * -Dexec.args=500}
 */
public final class E2bSoak {

	private static final String SANDBOX = """
			{"sandboxID":"{{randomValue length=12 type='ALPHANUMERIC' lowercase=true}}","templateID":"base",
			 "clientID":"c","envdVersion":"0.5.8",
			 "envdAccessToken":"envd-{{randomValue length=24 type='ALPHANUMERIC'}}","domain":null}
			""";

	private E2bSoak() {
	}

	public static void main(String[] args) throws Exception {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		int cycles = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		int warmUp = Math.min(50, cycles / 5);
		Figures start = Figures.now();
		AtomicInteger created = new AtomicInteger();
		AtomicInteger killed = new AtomicInteger();
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort()
			.disableRequestJournal()
			.containerThreads(16)
			.globalTemplating(true));
		server.addMockServiceRequestListener((request, response) -> {
			if (response.getStatus() == 201 && request.getUrl().equals("/sandboxes")) {
				created.incrementAndGet();
			}
			if (response.getStatus() == 204 && request.getMethod().getName().equals("DELETE")) {
				killed.incrementAndGet();
			}
		});
		server.start();
		stub(server);
		ProviderConfig config = ProviderConfig.builder()
			.apiKey("e2b_soak_key_0123456789")
			.baseUrl(server.baseUrl())
			.extra("sandbox-url", server.baseUrl())
			.defaultTimeout(Duration.ofSeconds(10))
			.retry(RetrySettings.NONE)
			.environment((name) -> null)
			.build();
		int failures = 0;
		System.out.printf("E2B soak: %d create -> runCommand -> kill cycles against WireMock %s%n", cycles,
				server.baseUrl());
		System.out.println(Figures.HEADER);
		System.out.println(start.row("start (JVM, before WireMock)", start));
		Figures warm = null;
		try (Sandboxer sandboxer = Sandboxer.builder("e2b").config(config).build()) {
			for (int i = 1; i <= cycles; i++) {
				try (Sandbox sandbox = sandboxer.createSandbox()) {
					CommandResult result = sandbox.runCommand("echo hi");
					if (!result.isSuccess() || !result.stdout().equals("hi\n")) {
						failures++;
					}
				}
				catch (RuntimeException ex) {
					failures++;
					System.out.println("cycle " + i + " failed: " + ex);
				}
				if (i == warmUp) {
					warm = Figures.now();
					System.out.println(warm.row("after " + i + " cycles (warm-up, the baseline)", warm));
				}
				else if (i % 100 == 0 || i == cycles) {
					System.out.println(Figures.now().row("after " + i + " cycles", warm));
				}
			}
			System.out.println("owned by the client at the end: " + sandboxer.ownedSandboxIds().size());
		}
		Figures closed = Figures.now();
		System.out.println(closed.row("after Sandboxer.close()", warm));
		server.stop();
		System.out.println(Figures.now().row("after WireMock stopped", start));
		System.out.printf("server saw %d created, %d killed: %d leaked; %d cycle(s) failed%n", created.get(),
				killed.get(), created.get() - killed.get(), failures);
	}

	private static void stub(WireMockServer server) {
		server.stubFor(post(urlPathEqualTo("/sandboxes")).willReturn(
				aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(SANDBOX)));
		server.stubFor(post(urlPathEqualTo("/process.Process/Start")).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(E2bBenchmarkServer.concat(E2bBenchmarkServer.envelope(0, "{\"event\":{\"start\":{\"pid\":42}}}"),
					E2bBenchmarkServer.envelope(0, "{\"event\":{\"data\":{\"stdout\":\"aGkK\"}}}"),
					E2bBenchmarkServer.envelope(0, "{\"event\":{\"end\":{\"exited\":true,\"exitCode\":0}}}"),
					E2bBenchmarkServer.envelope(2, "{}")))));
		server.stubFor(delete(urlPathMatching("/sandboxes/[a-z0-9]+")).willReturn(aResponse().withStatus(204)));
	}

	/** Threads, open file descriptors and heap in use after a full collection, at one moment. */
	record Figures(int threads, long fileDescriptors, long heapAfterGcBytes) {

		static final String HEADER = String.format("%-40s %8s %8s %14s", "when", "threads", "open fds",
				"heap after GC");

		static Figures now() throws InterruptedException {
			// Several collections, so that weakly held objects and their finalisation are gone too.
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(100);
			}
			String[] fds = new File("/proc/self/fd").list();
			return new Figures(ManagementFactory.getThreadMXBean().getThreadCount(),
					(fds != null) ? fds.length : -1,
					ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}

		String row(String when, Figures baseline) {
			String line = String.format("%-40s %8d %8d %11.1f MiB", when, this.threads, this.fileDescriptors,
					this.heapAfterGcBytes / 1048576.0);
			if (baseline == null || baseline == this) {
				return line;
			}
			return line + String.format("   (%+d threads, %+d fds, %+.1f MiB)", this.threads - baseline.threads,
					this.fileDescriptors - baseline.fileDescriptors,
					(this.heapAfterGcBytes - baseline.heapAfterGcBytes) / 1048576.0);
		}

	}

}
