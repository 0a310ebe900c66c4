package dev.sandboxer.benchmarks;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.http.ConnectClient;
import dev.sandboxer.http.ProtoJsonBytes;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.spi.CommandOutputCollector;
import io.netty.buffer.Unpooled;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What the E2B client costs on top of HTTP, against a local server ({@link E2bBenchmarkServer}) in the same run:
 * <ol>
 * <li>p50/p90/p99 of {@code info()} and of a small {@code runCommand} through the public {@link Sandboxer}, against
 * the same requests sent with bare Reactor Netty (the transport underneath, no Sandboxer code) and with
 * {@code java.net.http}, interleaved call by call in rotating order so drift and each client's background work
 * hit all alike;</li>
 * <li>how fast a 100 MiB stdout stream decodes (Connect envelopes, JSON, base64, UTF-8) and how much heap that
 * needed, once through the codec to a listener that keeps nothing and once through {@code runCommand}, which keeps
 * all the output in its result.</li>
 * </ol>
 * Run by hand (see the report for the command); prints figures, asserts nothing.
 */
public final class E2bBenchmark {

	private static final int WARMUP = 3000;

	private static final int MEASURED = 5000;

	private static final String API_KEY = "e2b_benchmark0123456789";

	private E2bBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		try (E2bBenchmarkServer server = new E2bBenchmarkServer()) {
			ProviderConfig config = ProviderConfig.builder()
				.apiKey(API_KEY)
				.baseUrl(server.baseUrl())
				.extra("sandbox-url", server.baseUrl())
				.defaultTimeout(Duration.ofSeconds(30))
				.retry(RetrySettings.NONE)
				.build();
			System.out.printf(Locale.ROOT, "E2B client overhead, local server %s, Java %s, %d CPUs%n", server.baseUrl(),
					System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
			latency(server, config);
			throughput(server, config);
		}
	}

	private static void latency(E2bBenchmarkServer server, ProviderConfig config) throws Exception {
		ConnectionProvider pool = ConnectionProvider.builder("bare").maxConnections(8).build();
		HttpClient bare = HttpClient.create(pool);
		java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
			.version(java.net.http.HttpClient.Version.HTTP_1_1)
			.build();
		String infoUrl = server.baseUrl() + "/sandboxes/" + E2bBenchmarkServer.SANDBOX_ID;
		String startUrl = server.baseUrl() + "/process.Process/Start";
		byte[] startBody = E2bBenchmarkServer.startRequest("echo hi");
		try (Sandboxer sandboxer = Sandboxer.create("e2b", config);
				Sandbox sandbox = sandboxer.attachSandbox(E2bBenchmarkServer.SANDBOX_ID)) {
			LongSupplier sdkInfo = () -> timed(() -> sandbox.info());
			LongSupplier bareInfo = () -> timed(() -> bare.headers((headers) -> headers.set("X-API-Key", API_KEY))
				.get()
				.uri(infoUrl)
				.responseSingle((response, body) -> body.asByteArray())
				.block());
			LongSupplier jdkInfo = () -> timed(() -> send(jdk, HttpRequest.newBuilder(URI.create(infoUrl))
				.header("X-API-Key", API_KEY)
				.GET()
				.build()));
			RunCommandRequest echo = RunCommandRequest.of("echo hi");
			LongSupplier sdkRun = () -> timed(() -> check(sandbox.runCommand(echo)));
			LongSupplier bareRun = () -> timed(() -> bare
				.headers((headers) -> headers.set("Content-Type", "application/connect+json")
					.set("Connect-Protocol-Version", "1")
					.set("X-Access-Token", "envd-bench-token-42"))
				.post()
				.uri(startUrl)
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(startBody)))
				.responseSingle((response, body) -> body.asByteArray())
				.block());
			LongSupplier jdkRun = () -> timed(() -> send(jdk, HttpRequest.newBuilder(URI.create(startUrl))
				.header("Content-Type", "application/connect+json")
				.header("Connect-Protocol-Version", "1")
				.header("X-Access-Token", "envd-bench-token-42")
				.POST(HttpRequest.BodyPublishers.ofByteArray(startBody))
				.build()));

			System.out.printf(Locale.ROOT, "%nLatency: %d calls each after %d warm-up calls, interleaved in rotating order; ms%n",
					MEASURED, WARMUP);
			System.out.printf(Locale.ROOT, "%-48s %8s %8s %8s%n", "call", "p50", "p90", "p99");
			long[][] info = measure(sdkInfo, bareInfo, jdkInfo);
			print("info() through Sandboxer", info[0]);
			print("GET /sandboxes/{id}, bare Reactor Netty", info[1]);
			print("GET /sandboxes/{id}, java.net.http", info[2]);
			overhead("info()", info[0], info[1]);
			long[][] run = measure(sdkRun, bareRun, jdkRun);
			print("runCommand(\"echo hi\") through Sandboxer", run[0]);
			print("POST process.Process/Start, bare Reactor Netty", run[1]);
			print("POST process.Process/Start, java.net.http", run[2]);
			overhead("runCommand", run[0], run[1]);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
	}

	private static void throughput(E2bBenchmarkServer server, ProviderConfig config) throws Exception {
		double mib = E2bBenchmarkServer.BIG_OUTPUT_BYTES / (1024.0 * 1024.0);
		System.out.printf(Locale.ROOT, "%nDecode throughput: %.0f MiB of stdout in %d envd data events of %d KiB "
				+ "(base64 in Connect envelopes), written by the server as it goes%n", mib,
				E2bBenchmarkServer.BIG_FRAMES, E2bBenchmarkServer.CHUNK_BYTES / 1024);
		System.out.printf(Locale.ROOT, "%-52s %9s %15s %15s%n", "path (best of 3 after 1 warm-up)", "MiB/s",
				"peak heap MiB", "max live MiB");
		VendorHttpClient http = VendorHttpClient.builder("e2b", config).build();
		ConnectClient connect = new ConnectClient(http);
		ConnectionProvider pool = ConnectionProvider.builder("bare-stream").maxConnections(2).build();
		byte[] bigRequest = E2bBenchmarkServer.startRequest("big-output");
		try {
			streamRuns("bare Reactor Netty, bytes counted, not decoded", mib, () -> {
				long bytes = HttpClient.create(pool)
					.post()
					.uri(server.baseUrl() + "/process.Process/Start")
					.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bigRequest)))
					.responseContent()
					.map((buffer) -> (long) buffer.readableBytes())
					.reduce(0L, Long::sum)
					.block(Duration.ofMinutes(5));
				// The envelopes and base64 are about 4/3 of the stdout they carry; scale to compare like with like.
				return (bytes > E2bBenchmarkServer.BIG_OUTPUT_BYTES) ? E2bBenchmarkServer.BIG_OUTPUT_BYTES : -bytes;
			});
			streamRuns("ConnectClient + UTF-8 to a listener, keeps nothing", mib, () -> {
				AtomicLong chars = new AtomicLong();
				// Keeps none of the output (limit 0); the listener only counts what it is handed.
				CommandOutputCollector output = new CommandOutputCollector(new CommandOutputListener() {
					@Override
					public void onStdout(String chunk) {
						chars.addAndGet(chunk.length());
					}
				}, 0);
				connect
					.serverStream(http.post(URI.create(server.baseUrl() + "/process.Process/Start")).operation("bench"),
							new StartRequest("big-output"), StartResponse.class)
					.doOnNext((message) -> {
						if (message.event() != null && message.event().data() != null
								&& message.event().data().stdout() != null) {
							byte[] stdout = message.event().data().stdout();
							output.stdout(stdout, 0, stdout.length);
						}
					})
					.then()
					.block(Duration.ofMinutes(5));
				return chars.get();
			});
			try (Sandboxer sandboxer = Sandboxer.create("e2b", config);
					Sandbox sandbox = sandboxer.attachSandbox(E2bBenchmarkServer.SANDBOX_ID)) {
				streamRuns("runCommand, keeps all stdout in the result", mib, () -> {
					AtomicLong chunks = new AtomicLong();
					CommandResult result = sandbox.runCommand(RunCommandRequest.of("big-output"),
							new CommandOutputListener() {
								@Override
								public void onStdout(String chunk) {
									chunks.incrementAndGet();
								}
							});
					return check(result).stdout().length();
				});
			}
		}
		finally {
			http.close();
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
		System.out.println("peak heap: most heap in use during a run, garbage included, above what was in use before it;"
				+ " max live: most heap still in use after a collection during a run, above the same start");
	}

	private static void streamRuns(String name, double mib, LongSupplier run) {
		run.getAsLong();
		double best = 0;
		E2bHeapWatch.Figures worst = null;
		for (int i = 0; i < 3; i++) {
			try (E2bHeapWatch watch = new E2bHeapWatch()) {
				long started = System.nanoTime();
				long chars = run.getAsLong();
				double seconds = (System.nanoTime() - started) / 1e9;
				if ((double) chars != E2bBenchmarkServer.BIG_OUTPUT_BYTES) {
					throw new IllegalStateException("Decoded " + chars + " characters, expected "
							+ E2bBenchmarkServer.BIG_OUTPUT_BYTES);
				}
				best = Math.max(best, mib / seconds);
				E2bHeapWatch.Figures figures = watch.figures();
				if (worst == null || figures.peakUsedBytes() > worst.peakUsedBytes()) {
					worst = figures;
				}
			}
		}
		// Without a collection during the run there is no "live after GC" figure to give.
		String live = (worst.collections() == 0) ? "no GC"
				: String.format(Locale.ROOT, "%.0f", (worst.maxLiveAfterGcBytes() - worst.baselineBytes()) / 1048576.0);
		System.out.printf(Locale.ROOT, "%-52s %9.0f %15.0f %15s%n", name, best,
				(worst.peakUsedBytes() - worst.baselineBytes()) / 1048576.0, live);
	}

	private static long[][] measure(LongSupplier... calls) {
		for (int i = 0; i < WARMUP; i++) {
			for (LongSupplier call : calls) {
				call.getAsLong();
			}
		}
		long[][] samples = new long[calls.length][MEASURED];
		for (int i = 0; i < MEASURED; i++) {
			// The order rotates, so that no client always runs right after another one's background work.
			for (int k = 0; k < calls.length; k++) {
				int c = (i + k) % calls.length;
				samples[c][i] = calls[c].getAsLong();
			}
		}
		for (long[] series : samples) {
			Arrays.sort(series);
		}
		return samples;
	}

	private static void print(String name, long[] sorted) {
		System.out.printf(Locale.ROOT, "%-48s %8.3f %8.3f %8.3f%n", name, percentile(sorted, 50),
				percentile(sorted, 90), percentile(sorted, 99));
	}

	private static void overhead(String name, long[] sdk, long[] bare) {
		System.out.printf(Locale.ROOT, "  -> Sandboxer adds %+.3f ms at p50, %+.3f ms at p90 to %s over bare Reactor "
				+ "Netty (target: under 0.5 ms at p50)%n", percentile(sdk, 50) - percentile(bare, 50),
				percentile(sdk, 90) - percentile(bare, 90), name);
	}

	private static double percentile(long[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1e6;
	}

	private static long timed(Runnable call) {
		long started = System.nanoTime();
		call.run();
		return System.nanoTime() - started;
	}

	private static void send(java.net.http.HttpClient client, HttpRequest request) {
		try {
			HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("HTTP " + response.statusCode());
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static CommandResult check(CommandResult result) {
		if (result.exitCode() != 0) {
			throw new IllegalStateException("The command failed: " + result);
		}
		return result;
	}

	/** envd's {@code StartRequest}, as much as this benchmark sends. */
	record StartRequest(Process process) {

		StartRequest(String command) {
			this(new Process("/bin/bash", java.util.List.of("-l", "-c", command)));
		}

	}

	record Process(String cmd, java.util.List<String> args) {
	}

	/** envd's {@code StartResponse}, as much as this benchmark reads. */
	record StartResponse(Event event) {
	}

	record Event(Data data) {
	}

	record Data(@JsonDeserialize(using = ProtoJsonBytes.class) byte[] stdout) {
	}

}
