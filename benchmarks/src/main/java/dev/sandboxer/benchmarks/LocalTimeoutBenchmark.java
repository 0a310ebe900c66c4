package dev.sandboxer.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Statistics;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.CreateSandboxRequest;
import org.slf4j.LoggerFactory;

/**
 * What a moving deadline costs on the {@code local} provider, on the two test images: {@code setTimeout} latency
 * with, as peers in the same run, {@code writeFile} of a line as long as the deadline's (the archive upload that
 * {@code setTimeout} makes, before it signals and renames) and {@code info} (one inspect, which also reports the new
 * deadline); the processes {@code setTimeout} starts in the container (from the Engine's {@code exec_create} events;
 * the target is none); and the CPU the container's keeper burns while it waits, with and without a timeout, next to a
 * container whose main process is a plain {@code sleep} under the same init, as sandboxes had before (from the
 * Engine's stats; the target is no more than that peer).
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am compile exec:java
 * -Dexec.mainClass=dev.sandboxer.benchmarks.LocalTimeoutBenchmark}.
 */
public final class LocalTimeoutBenchmark {

	private static final List<String> IMAGES = List.of("sandboxer-test/busybox:latest", "sandboxer-test/debian:latest");

	private static final int SAMPLES = 60;

	private static final Duration IDLE = Duration.ofSeconds(10);

	private LocalTimeoutBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.WARN);
		try (Sandboxer sandboxer = Sandboxer.builder("local").build()) {
			String apiVersion = sandboxer.ping().get("apiVersion");
			System.out.println("local setTimeout benchmark, Docker Engine " + sandboxer.ping().get("engineVersion")
					+ ", API " + apiVersion + ", " + Runtime.getRuntime().availableProcessors() + " cores");
			try (DockerClient docker = LocalBenchmark.bareClient(apiVersion)) {
				for (String image : (args.length > 0) ? List.of(args) : IMAGES) {
					run(sandboxer, docker, image);
				}
			}
		}
	}

	private static void run(Sandboxer sandboxer, DockerClient docker, String image) throws Exception {
		System.out.println();
		System.out.println("== " + image);
		CreateSandboxRequest.Builder request = CreateSandboxRequest.builder()
			.template(image)
			.metadata("sandboxer-benchmark", "local-timeout");
		try (Sandbox timed = sandboxer.createSandbox(request.timeout(Duration.ofMinutes(10)).build());
				Sandbox untimed = sandboxer.createSandbox(request.timeout(null).build())) {
			LocalLatencies setTimeout = new LocalLatencies("setTimeout");
			LocalLatencies upload = new LocalLatencies("writeFile 11 bytes (peer)");
			LocalLatencies info = new LocalLatencies("info (peer)");
			byte[] line = "1767312345\n".getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < 10; i++) {
				timed.setTimeout(Duration.ofMinutes(10));
				timed.writeFile("/tmp/bench/line", line);
				timed.info();
			}
			Instant from = Instant.now();
			for (int i = 0; i < SAMPLES; i++) {
				Duration timeout = Duration.ofMinutes(10 + i % 5);
				setTimeout.time(() -> {
					timed.setTimeout(timeout);
					return null;
				});
				upload.time(() -> {
					timed.writeFile("/tmp/bench/line", line);
					return null;
				});
				Instant expiresAt = info.time(timed::info).expiresAt();
				LocalBenchmark.check(expiresAt != null && expiresAt.isAfter(Instant.now().plus(timeout).minusSeconds(5)),
						"info said the sandbox expires at " + expiresAt);
			}
			long execs = LocalBenchmark.execsBetween(docker, timed.id(), from, Instant.now());

			System.out.println(setTimeout.line());
			System.out.println(upload.line());
			System.out.println(info.line());
			System.out.println(String.format(Locale.ROOT, "  setTimeout p50 / writeFile p50        = %.2f",
					setTimeout.percentile(50) / upload.percentile(50)));
			System.out.println(String.format(Locale.ROOT,
					"  process starts per setTimeout         = %.2f (target 0; writeFile and info start none either)",
					execs / (double) SAMPLES));
			System.out.println(idleCpu(docker, image, timed.id(), untimed.id()));
		}
	}

	/** CPU used by the two sandboxes and by a plain {@code sleep} container over {@link #IDLE} of waiting. */
	private static String idleCpu(DockerClient docker, String image, String timed, String untimed) throws Exception {
		String sleeper = docker.createContainerCmd(image)
			.withEntrypoint("sleep")
			.withCmd("600")
			.withLabels(Map.of("sandboxer-benchmark", "local-timeout-peer"))
			.withHostConfig(HostConfig.newHostConfig().withInit(true).withAutoRemove(true))
			.exec()
			.getId();
		try {
			docker.startContainerCmd(sleeper).exec();
			Thread.sleep(1000);
			List<String> ids = List.of(timed, untimed, sleeper);
			long[] before = new long[ids.size()];
			for (int i = 0; i < ids.size(); i++) {
				before[i] = cpuNanos(docker, ids.get(i));
			}
			Thread.sleep(IDLE.toMillis());
			double[] used = new double[ids.size()];
			for (int i = 0; i < ids.size(); i++) {
				used[i] = (cpuNanos(docker, ids.get(i)) - before[i]) / 1e6;
			}
			return String.format(Locale.ROOT,
					"  container CPU while idle %d s          = %.3f ms with a timeout, %.3f ms without, %.3f ms plain"
							+ " sleep (peer)",
					IDLE.toSeconds(), used[0], used[1], used[2]);
		}
		finally {
			docker.removeContainerCmd(sleeper).withForce(true).exec();
		}
	}

	/** The container's total CPU time so far, as the Engine's stats report it. */
	private static long cpuNanos(DockerClient docker, String containerId) throws Exception {
		CompletableFuture<Statistics> first = new CompletableFuture<>();
		try (ResultCallback.Adapter<Statistics> callback = docker.statsCmd(containerId)
			.withNoStream(true)
			.exec(new ResultCallback.Adapter<>() {
				@Override
				public void onNext(Statistics statistics) {
					first.complete(statistics);
				}
			})) {
			Statistics statistics = first.get(30, TimeUnit.SECONDS);
			return statistics.getCpuStats().getCpuUsage().getTotalUsage();
		}
	}

}
