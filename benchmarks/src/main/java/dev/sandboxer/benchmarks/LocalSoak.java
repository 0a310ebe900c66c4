package dev.sandboxer.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import org.slf4j.LoggerFactory;

/**
 * Soak of the {@code local} provider against a real Engine: {@value #DEFAULT_CYCLES} create, run, kill cycles (every
 * tenth command cancelled while it runs, every 25th killed at a 1 s timeout), then the containers the Engine still
 * has with this run's label (the target is 0), and the JVM's threads, open file descriptors and heap after GC
 * against their level before the cycles. Both levels are taken after {@value #QUIET_SECONDS} s of quiet, the time
 * idle engine threads take to end, and after {@value #WARM_UP} warm-up cycles, so that what is made once (the
 * docker-java client, its pools, loaded classes) is in both.
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am compile exec:java -Dexec.mainClass=dev.sandboxer.benchmarks.LocalSoak
 * [-Dexec.args="500 sandboxer-test/busybox:latest"]}.
 */
public final class LocalSoak {

	private static final int DEFAULT_CYCLES = 500;

	private static final int WARM_UP = 10;

	private static final long QUIET_SECONDS = 35;

	private static final String RUN_KEY = "sandboxer-soak-run";

	private LocalSoak() {
	}

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.WARN);
		int cycles = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_CYCLES;
		String image = (args.length > 1) ? args[1] : "sandboxer-test/busybox:latest";
		String run = UUID.randomUUID().toString();
		try (Sandboxer sandboxer = Sandboxer.builder("local").build()) {
			String apiVersion = sandboxer.ping().get("apiVersion");
			System.out.println("local soak: " + cycles + " cycles on " + image + ", Docker Engine "
					+ sandboxer.ping().get("engineVersion") + ", " + Runtime.getRuntime().availableProcessors()
					+ " cores, run " + run);
			for (int i = 0; i < WARM_UP; i++) {
				cycle(sandboxer, image, run, i + 1);
			}
			Footprint before = Footprint.now();
			System.out.println("before: " + before);
			long started = System.nanoTime();
			int cancelled = 0;
			int timedOut = 0;
			for (int i = 1; i <= cycles; i++) {
				Outcome outcome = cycle(sandboxer, image, run, i);
				cancelled += (outcome == Outcome.CANCELLED) ? 1 : 0;
				timedOut += (outcome == Outcome.TIMED_OUT) ? 1 : 0;
				if (i % 100 == 0) {
					System.out.printf("  %d cycles, %.0f ms a cycle%n", i,
							(System.nanoTime() - started) / 1e6 / i);
				}
			}
			System.out.printf("%d cycles in %.1f s (%d commands cancelled while running, %d killed at their timeout)%n",
					cycles, (System.nanoTime() - started) / 1e9, cancelled, timedOut);
			try (DockerClient docker = LocalBenchmark.bareClient(apiVersion)) {
				long left = docker.listContainersCmd()
					.withShowAll(true)
					.withLabelFilter(Map.of("sandboxer.meta." + RUN_KEY, run))
					.exec()
					.size();
				System.out.println("containers left with this run's label (asked of Docker): " + left);
			}
			Footprint after = Footprint.now();
			System.out.println("after:  " + after);
			System.out.printf("change: threads %+d, open file descriptors %+d, heap after GC %+.1f MiB%n",
					after.threads() - before.threads(), after.fileDescriptors() - before.fileDescriptors(),
					(after.heapBytes() - before.heapBytes()) / 1048576.0);
			System.out.println("threads after, by name: " + after.threadNames());
		}
	}

	private static Outcome cycle(Sandboxer sandboxer, String image, String run, int n) throws Exception {
		Sandbox sandbox = sandboxer.createSandbox(CreateSandboxRequest.builder()
			.template(image)
			.metadata(RUN_KEY, run)
			.timeout(Duration.ofMinutes(10))
			.build());
		try {
			if (n % 10 == 0) {
				CompletableFuture<CommandResult> running = sandbox.async()
					.runCommand(RunCommandRequest.builder("sleep 30").timeout(Duration.ofMinutes(1)).build());
				Thread.sleep(100);
				running.cancel(true);
				return Outcome.CANCELLED;
			}
			if (n % 25 == 0) {
				CommandResult result = sandbox.runCommand(RunCommandRequest.builder("sleep 30")
					.user("nobody")
					.timeout(Duration.ofSeconds(1))
					.build());
				if (!result.timedOut()) {
					throw new IllegalStateException("expected a timeout, got " + result);
				}
				return Outcome.TIMED_OUT;
			}
			CommandResult result = sandbox.runCommand("echo " + n);
			if (!result.stdout().equals(n + "\n")) {
				throw new IllegalStateException("unexpected output " + result);
			}
			return Outcome.RAN;
		}
		finally {
			sandbox.kill();
		}
	}

	private enum Outcome {

		RAN, CANCELLED, TIMED_OUT

	}

	/** What the JVM holds, after a quiet spell and a full GC. */
	private record Footprint(int threads, long fileDescriptors, long heapBytes, Map<String, Integer> threadNames) {

		static Footprint now() throws InterruptedException, IOException {
			Thread.sleep(QUIET_SECONDS * 1000);
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(200);
			}
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			long fds;
			try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
				fds = open.count();
			}
			Map<String, Integer> names = new TreeMap<>();
			Thread.getAllStackTraces()
				.keySet()
				.forEach((thread) -> names.merge(thread.getName().replaceAll("[0-9]+$", "N"), 1, Integer::sum));
			return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(), fds, heap, names);
		}

		@Override
		public String toString() {
			return String.format("threads %d, open file descriptors %d, heap after GC %.1f MiB", this.threads,
					this.fileDescriptors, this.heapBytes / 1048576.0);
		}

	}

}
