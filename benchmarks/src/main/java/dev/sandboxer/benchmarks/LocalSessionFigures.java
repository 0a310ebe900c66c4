package dev.sandboxer.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;

/**
 * The figures of issue 14 for one image: {@code runCommand} through the in-sandbox session against the exec path
 * ({@code session: false}) and a bare docker-java exec, all measured in the same run, in alternating blocks.
 */
final class LocalSessionFigures {

	private static final int SAMPLES = 100;

	private static final int BLOCK = 10;

	private static final int CONCURRENT = 16;

	private static final int ROUNDS = 10;

	private static final int CPU_ROUNDS = 40;

	private static final int FIRST_COMMANDS = 8;

	private LocalSessionFigures() {
	}

	static void run(Sandboxer sessions, Sandboxer plain, DockerClient docker, String image) throws Exception {
		System.out.println();
		System.out.println("== " + image + ": session path against exec path (issue 14)");
		CreateSandboxRequest request = CreateSandboxRequest.builder()
			.template(image)
			.timeout(Duration.ofMinutes(10))
			.metadata("sandboxer-benchmark", "local")
			.build();
		LocalLatencies echo = new LocalLatencies("runCommand(echo hi), session");
		LocalLatencies echoExec = new LocalLatencies("runCommand(echo hi), exec path");
		LocalLatencies bare = new LocalLatencies("bare docker-java exec (peer)");
		LocalLatencies envCwd = new LocalLatencies("runCommand env+cwd, session");
		LocalLatencies envCwdExec = new LocalLatencies("runCommand env+cwd, exec path");
		LocalLatencies sequential = new LocalLatencies(CONCURRENT + " sequential, session");
		LocalLatencies concurrent = new LocalLatencies(CONCURRENT + " concurrent, session");
		LocalLatencies sequentialExec = new LocalLatencies(CONCURRENT + " sequential, exec path");
		LocalLatencies concurrentExec = new LocalLatencies(CONCURRENT + " concurrent, exec path");
		LocalLatencies first = new LocalLatencies("first command after create, session");
		LocalLatencies firstExec = new LocalLatencies("first command after create, exec");
		RunCommandRequest withEnvAndCwd = RunCommandRequest.builder("echo \"$GREETING\" && pwd")
			.env("GREETING", "hello 'world'")
			.env("OTHER", "two\nlines")
			.cwd("/tmp")
			.build();
		double[] cpuInRow;
		double[] cpuAtOnce;
		try (Sandbox sandbox = sessions.createSandbox(request)) {
			Sandbox viaExec = plain.attachSandbox(sandbox.id());
			for (int i = 0; i < 10; i++) {
				sandbox.runCommand("echo hi");
				viaExec.runCommand("echo hi");
				LocalBenchmark.bareExec(docker, sandbox.id());
			}
			// Blocks of BLOCK, taken in turn: drift in the machine's speed hits every kind alike, while a session
			// command does not run in the wake of an exec (the Engine and containerd go on working after an exec
			// returns, and on 2 cores that tail lands on whatever runs next).
			for (int block = 0; block < SAMPLES / BLOCK; block++) {
				for (int i = 0; i < BLOCK; i++) {
					CommandResult result = echo.time(() -> sandbox.runCommand("echo hi"));
					LocalBenchmark.check(result.stdout().equals("hi\n"), "session printed " + result.stdout());
				}
				for (int i = 0; i < BLOCK; i++) {
					CommandResult both = envCwd.time(() -> sandbox.runCommand(withEnvAndCwd));
					LocalBenchmark.check(both.stdout().equals("hello 'world'\n/tmp\n"), "session printed " + both.stdout());
				}
				for (int i = 0; i < BLOCK; i++) {
					echoExec.time(() -> viaExec.runCommand("echo hi"));
				}
				for (int i = 0; i < BLOCK; i++) {
					envCwdExec.time(() -> viaExec.runCommand(withEnvAndCwd));
				}
				for (int i = 0; i < BLOCK; i++) {
					bare.time(() -> LocalBenchmark.bareExec(docker, sandbox.id()));
				}
			}
			for (int round = 0; round < ROUNDS; round++) {
				sequential.time(() -> sequentially(sandbox));
				concurrent.time(() -> concurrently(sandbox));
				sequentialExec.time(() -> sequentially(viaExec));
				concurrentExec.time(() -> concurrently(viaExec));
			}
			// Apart from the timed rounds, so that reading /proc does not land in them.
			cpuInRow = cpu(sandbox, LocalSessionFigures::sequentially);
			cpuAtOnce = cpu(sandbox, LocalSessionFigures::concurrently);
		}
		for (int i = 0; i < FIRST_COMMANDS; i++) {
			try (Sandbox fresh = sessions.createSandbox(request)) {
				first.time(() -> fresh.runCommand("echo hi"));
			}
			try (Sandbox fresh = plain.createSandbox(request)) {
				firstExec.time(() -> fresh.runCommand("echo hi"));
			}
		}
		for (LocalLatencies latencies : List.of(echo, echoExec, bare, envCwd, envCwdExec, sequential, concurrent,
				sequentialExec, concurrentExec, first, firstExec)) {
			System.out.println(latencies.line());
		}
		double bareP50 = bare.percentile(50);
		System.out.println(String.format(Locale.ROOT,
				"  echo hi p50: session %.2f ms (target <= 5), %.1fx faster than bare exec (target >= 10x); "
						+ "exec path %.2f ms",
				echo.percentile(50), bareP50 / echo.percentile(50), echoExec.percentile(50)));
		System.out.println(String.format(Locale.ROOT,
				"  env+cwd p50: session %.2f ms (target <= 6); exec path %.2f ms", envCwd.percentile(50),
				envCwdExec.percentile(50)));
		System.out.println(String.format(Locale.ROOT,
				"  %d concurrent vs sequential in one sandbox: session %.2fx (target >= 4x); exec path %.2fx", CONCURRENT,
				sequential.percentile(50) / concurrent.percentile(50),
				sequentialExec.percentile(50) / concurrentExec.percentile(50)));
		// Concurrency can only spread the work over the cores: once they are all busy, 16 commands at once take
		// 16 x (CPU per command) / cores, while 16 in a row take 16 x (latency of one).
		System.out.println(String.format(Locale.ROOT,
				"  CPU per session command in a row: %s, %.2f ms apart, %.1f of %d cores busy",
				CpuShares.describe(cpuInRow), cpuInRow[4], cpuInRow[3] / cpuInRow[4],
				Runtime.getRuntime().availableProcessors()));
		System.out.println(String.format(Locale.ROOT,
				"  CPU per session command, %d at once: %s, %.2f ms apart, %.1f of %d cores busy", CONCURRENT,
				CpuShares.describe(cpuAtOnce), cpuAtOnce[4], cpuAtOnce[3] / cpuAtOnce[4],
				Runtime.getRuntime().availableProcessors()));
		System.out.println(String.format(Locale.ROOT,
				"  first command after create p50: session %.2f ms = bare exec %+.2f ms (target <= +20); exec path %.2f ms",
				first.percentile(50), first.percentile(50) - bareP50, firstExec.percentile(50)));
	}

	/**
	 * CPU per command over {@value #CPU_ROUNDS} rounds of 16 commands, by where it went (see {@link CpuShares}), and
	 * last the wall time per command.
	 */
	private static double[] cpu(Sandbox sandbox, Round round) throws Exception {
		CpuShares before = CpuShares.now(sandbox.id());
		long started = System.nanoTime();
		for (int i = 0; i < CPU_ROUNDS; i++) {
			round.run(sandbox);
		}
		double wallPerCommand = (System.nanoTime() - started) / 1e6 / (CPU_ROUNDS * CONCURRENT);
		double[] shares = CpuShares.now(sandbox.id()).since(before, CPU_ROUNDS * CONCURRENT);
		return new double[] { shares[0], shares[1], shares[2], shares[3], wallPerCommand };
	}

	/** 16 commands, one way or the other. */
	@FunctionalInterface
	private interface Round {

		Void run(Sandbox sandbox) throws Exception;

	}

	private static Void sequentially(Sandbox sandbox) {
		for (int i = 0; i < CONCURRENT; i++) {
			sandbox.runCommand("echo hi");
		}
		return null;
	}

	private static Void concurrently(Sandbox sandbox) throws Exception {
		List<CompletableFuture<CommandResult>> all = new ArrayList<>();
		for (int i = 0; i < CONCURRENT; i++) {
			all.add(sandbox.async().runCommand("echo hi"));
		}
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		return null;
	}

}
