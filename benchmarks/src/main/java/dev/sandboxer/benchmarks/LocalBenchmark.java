package dev.sandboxer.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import org.slf4j.LoggerFactory;

/**
 * Latency of the {@code local} provider on this machine's Docker Engine, on the two test images, with a bare
 * docker-java exec (create, start, wait for the stream to end; no Sandboxer) measured in the same run as the peer
 * of {@code runCommand}, and the same plus the exit code (what {@code runCommand} also returns) as a second peer. Process starts are counted from the Engine's own {@code exec_create} events.
 * The first create in a fresh JVM (child JVMs, before this one touches docker-java) has a raw-socket create + start
 * as its peer ({@link BareSocketCreate}), timed between the children, and the first {@code runCommand} after it; the
 * children run on a {@code local} user's class path and on this module's whole one ({@link ChildClassPath}).
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am compile exec:java -Dexec.mainClass=dev.sandboxer.benchmarks.LocalBenchmark}
 * (needs the images of {@code scripts/build-test-images.sh}); {@code -Dexec.args="image..."} measures other images,
 * {@code -Dexec.args="--fresh-only [image...]"} only the first create in fresh JVMs and its bare peer.
 */
public final class LocalBenchmark {

	private static final List<String> IMAGES = List.of("sandboxer-test/busybox:latest", "sandboxer-test/debian:latest");

	private static final int CREATES = 10;

	private static final int SAMPLES = 60;

	private static final int CONCURRENT = 16;

	private static final int ROUNDS = 8;

	private static final byte[] KIB_64 = new byte[64 * 1024];

	private LocalBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.WARN);
		for (int i = 0; i < KIB_64.length; i++) {
			KIB_64[i] = (byte) (i * 31 + 7);
		}
		if (args.length == 2 && args[0].equals(FRESH_CREATE)) {
			freshCreate(args[1]);
			return;
		}
		if (args.length > 0 && args[0].equals(FRESH_ONLY)) {
			List<String> only = (args.length > 1) ? List.of(args).subList(1, args.length) : IMAGES;
			for (String image : only) {
				freshCreatesInChildren(image).forEach(System.out::println);
			}
			return;
		}
		List<String> images = (args.length > 0) ? List.of(args) : IMAGES;
		List<String> freshCreates = new ArrayList<>();
		for (String image : images) {
			// Before this JVM touches docker-java, so that a child's figure is not helped by a warm disk cache only.
			freshCreates.addAll(freshCreatesInChildren(image));
		}
		try (Sandboxer sandboxer = Sandboxer.builder("local").build();
				Sandboxer plain = Sandboxer.builder("local")
					.config(ProviderConfig.builder().extra("session", "false").build())
					.build()) {
			String apiVersion = sandboxer.ping().get("apiVersion");
			System.out.println("local provider benchmark, Docker Engine " + sandboxer.ping().get("engineVersion")
					+ ", API " + apiVersion + ", " + Runtime.getRuntime().availableProcessors() + " cores");
			try (DockerClient docker = bareClient(apiVersion)) {
				for (String image : images) {
					run(sandboxer, docker, image);
					LocalSessionFigures.run(sandboxer, plain, docker, image);
				}
				System.out.println();
				System.out.println("== first createSandbox in a fresh JVM (Sandboxer built, one create; a child JVM each), "
						+ "beside a bare Engine create + start over the socket (no docker-java) in the same run");
				freshCreates.forEach(System.out::println);
				LocalLatencies bareCreate = new LocalLatencies("bare docker-java create + start (warm)");
				for (int i = 0; i < 5; i++) {
					String id = bareCreate.time(() -> {
						String made = docker.createContainerCmd(images.get(0))
							.withEntrypoint("sleep")
							.withCmd("60")
							.withLabels(java.util.Map.of("sandboxer-benchmark", "bare"))
							.exec()
							.getId();
						docker.startContainerCmd(made).exec();
						return made;
					});
					docker.removeContainerCmd(id).withForce(true).exec();
				}
				System.out.println(bareCreate.line());
			}
		}
	}

	private static final String FRESH_CREATE = "--fresh-create";

	/** Only the fresh-JVM figures: {@code --fresh-only [image...]}. */
	private static final String FRESH_ONLY = "--fresh-only";

	private static final int FRESH_CHILDREN = 7;

	private static final Duration SETTLE = Duration.ofSeconds(1);

	/**
	 * Runs this class again in child JVMs that each make one sandbox and run one command, and between them times
	 * the bare peer (a raw-socket create + start, {@link BareSocketCreate}), so both see the same machine; answers
	 * the figures' lines and their ratios. Each round has a child on the class path of a program that uses only
	 * {@code local} (the figure the target is about) and one on this module's whole class path, harness included.
	 */
	private static List<String> freshCreatesInChildren(String image) throws Exception {
		String whole = ChildClassPath.whole();
		String localUser = ChildClassPath.localUser(whole);
		LocalLatencies fresh = new LocalLatencies("fresh JVM: build + first create");
		LocalLatencies firstCommand = new LocalLatencies("fresh JVM: first runCommand after");
		LocalLatencies bare = new LocalLatencies("bare socket create + start");
		LocalLatencies build = new LocalLatencies("  of which Sandboxer built");
		LocalLatencies freshWhole = new LocalLatencies("same, benchmarks' whole class path");
		BareSocketCreate peer = new BareSocketCreate();
		// Round 0 is not counted: it warms the disk cache, the Engine and this JVM alike.
		for (int i = 0; i <= FRESH_CHILDREN; i++) {
			long peerStarted = System.nanoTime();
			String id = peer.createAndStart(image);
			long peerTook = System.nanoTime() - peerStarted;
			peer.remove(id);
			// The Engine tears a removed container down after answering; each measurement starts on a settled one.
			Thread.sleep(SETTLE.toMillis());
			long[] figures = freshChild(localUser, image);
			long[] wholeFigures = freshChild(whole, image);
			if (i > 0) {
				bare.add(peerTook);
				fresh.add(figures[0]);
				firstCommand.add(figures[1]);
				build.add(figures[2]);
				freshWhole.add(wholeFigures[0]);
			}
		}
		return List.of("  " + image, fresh.line(), build.line(), bare.line(),
				String.format(Locale.ROOT, "  %-34s %.2fx (p50 over p50)", "ratio fresh create / bare",
						fresh.percentile(50) / bare.percentile(50)),
				firstCommand.line(), freshWhole.line(),
				String.format(Locale.ROOT, "  %-34s %.2fx (p50 over p50)", "ratio, whole class path / bare",
						freshWhole.percentile(50) / bare.percentile(50)));
	}

	/** One child JVM's create, first command and build times in nanoseconds; the machine settles after it. */
	private static long[] freshChild(String classPath, String image) throws Exception {
		Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-cp", classPath, LocalBenchmark.class.getName(), FRESH_CREATE, image).redirectErrorStream(true)
			.start();
		// The child prints a few lines only (logging at WARN), well within the pipe's buffer, so it can end unread.
		if (!child.waitFor(2, TimeUnit.MINUTES)) {
			child.destroyForcibly();
			throw new IllegalStateException("A fresh-create child took over 2 minutes; its sandbox ends with its timeout");
		}
		String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
		Thread.sleep(SETTLE.toMillis());
		String last = out.lines().reduce((first, second) -> second).orElse("?");
		java.util.regex.Matcher figures = java.util.regex.Pattern
			.compile("create (\\d+) ns, first runCommand (\\d+) ns, build (\\d+) ns")
			.matcher(last);
		if (!figures.find()) {
			throw new IllegalStateException("The child said: " + out);
		}
		return new long[] { Long.parseLong(figures.group(1)), Long.parseLong(figures.group(2)),
				Long.parseLong(figures.group(3)) };
	}

	/**
	 * In a fresh JVM: builds a client and makes one sandbox, then runs one command in it, printing how long each
	 * took.
	 */
	private static void freshCreate(String image) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.WARN);
		long started = System.nanoTime();
		try (Sandboxer sandboxer = Sandboxer.builder("local").build()) {
			long built = System.nanoTime();
			freshCreate(sandboxer, image, started, built);
		}
	}

	private static void freshCreate(Sandboxer sandboxer, String image, long started, long built) {
		try (Sandbox sandbox = sandboxer.createSandbox(CreateSandboxRequest.builder()
			.template(image)
			.timeout(Duration.ofMinutes(2))
			.metadata("sandboxer-benchmark", "local")
			.build())) {
			long created = System.nanoTime();
			CommandResult result = sandbox.runCommand("echo hi");
			long ran = System.nanoTime();
			if (!result.stdout().equals("hi\n")) {
				throw new IllegalStateException("echo hi said " + result);
			}
			System.out.println("create " + (created - started) + " ns, first runCommand " + (ran - created) + " ns, build "
					+ (built - started) + " ns");
		}
	}

	private static void run(Sandboxer sandboxer, DockerClient docker, String image) throws Exception {
		System.out.println();
		System.out.println("== " + image);
		CreateSandboxRequest request = CreateSandboxRequest.builder()
			.template(image)
			.timeout(Duration.ofMinutes(10))
			.metadata("sandboxer-benchmark", "local")
			.build();

		LocalLatencies create = new LocalLatencies("create");
		LocalLatencies kill = new LocalLatencies("kill");
		sandboxer.createSandbox(request).kill();
		for (int i = 0; i < CREATES; i++) {
			Sandbox made = create.time(() -> sandboxer.createSandbox(request));
			kill.time(() -> {
				made.kill();
				return null;
			});
		}

		try (Sandbox sandbox = sandboxer.createSandbox(request)) {
			String id = sandbox.id();
			LocalLatencies run = new LocalLatencies("runCommand(echo hi)");
			LocalLatencies bare = new LocalLatencies("bare docker-java exec (peer)");
			LocalLatencies bareWithExit = new LocalLatencies("bare exec + exit code (peer 2)");
			for (int i = 0; i < 10; i++) {
				sandbox.runCommand("echo hi");
				bareExec(docker, id);
			}
			// Interleaved, so that drift in the Engine's speed hits both alike.
			long runCpu = 0;
			long bareCpu = 0;
			for (int i = 0; i < SAMPLES; i++) {
				long cpu = processCpuNanos();
				CommandResult result = run.time(() -> sandbox.runCommand("echo hi"));
				runCpu += processCpuNanos() - cpu;
				check(result.stdout().equals("hi\n"), "runCommand printed " + result.stdout());
				cpu = processCpuNanos();
				bare.time(() -> bareExec(docker, id));
				bareCpu += processCpuNanos() - cpu;
				bareWithExit.time(() -> docker.inspectExecCmd(bareExec(docker, id)).exec().getExitCodeLong());
			}

			LocalLatencies write = new LocalLatencies("writeFile 64 KiB");
			LocalLatencies read = new LocalLatencies("readFile 64 KiB");
			for (int i = 0; i < SAMPLES; i++) {
				String path = "/tmp/bench/file-" + (i % 5);
				write.time(() -> {
					sandbox.writeFile(path, KIB_64);
					return null;
				});
				byte[] back = read.time(() -> sandbox.readFile(path));
				check(back.length == KIB_64.length, "read " + back.length + " bytes");
			}

			LocalLatencies exists = new LocalLatencies("exists");
			for (int i = 0; i < 20; i++) {
				sandbox.exists("/tmp/bench/file-0");
			}
			Instant existsFrom = Instant.now();
			for (int i = 0; i < SAMPLES * 2; i++) {
				boolean expected = i % 2 == 0;
				boolean there = exists.time(() -> sandbox.exists(expected ? "/tmp/bench/file-0" : "/tmp/nothing"));
				check(there == expected, "exists said " + there);
			}
			long existsExecs = execsBetween(docker, id, existsFrom, Instant.now());

			for (int i = 0; i < 30; i++) {
				sandbox.writeFile("/tmp/bench/dir30/entry " + i + ((i % 3 == 0) ? ".txt" : ""), new byte[i]);
			}
			LocalLatencies list = new LocalLatencies("listDirectory (30 entries)");
			Instant listFrom = Instant.now();
			for (int i = 0; i < SAMPLES; i++) {
				int entries = list.time(() -> sandbox.listDirectory("/tmp/bench/dir30")).size();
				check(entries == 30, "listed " + entries + " entries");
			}
			long listExecs = execsBetween(docker, id, listFrom, Instant.now());

			LocalLatencies sequential = new LocalLatencies(CONCURRENT + " runCommands, sequential");
			LocalLatencies concurrent = new LocalLatencies(CONCURRENT + " runCommands, concurrent");
			LocalLatencies spreadSequential = new LocalLatencies(CONCURRENT + " over 4 sandboxes, sequential");
			LocalLatencies spreadConcurrent = new LocalLatencies(CONCURRENT + " over 4 sandboxes, concurrent");
			LocalLatencies bareSequential = new LocalLatencies(CONCURRENT + " bare execs, sequential (peer)");
			LocalLatencies bareConcurrent = new LocalLatencies(CONCURRENT + " bare execs, concurrent (peer)");
			List<Sandbox> four = List.of(sandbox, sandboxer.createSandbox(request), sandboxer.createSandbox(request),
					sandboxer.createSandbox(request));
			List<Sandbox> one = List.of(sandbox);
			ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT);
			for (int round = 0; round < ROUNDS; round++) {
				sequential.time(() -> runSequentially(one));
				concurrent.time(() -> runConcurrently(one));
				spreadSequential.time(() -> runSequentially(four));
				spreadConcurrent.time(() -> runConcurrently(four));
				bareSequential.time(() -> {
					for (int i = 0; i < CONCURRENT; i++) {
						bareExec(docker, id);
					}
					return null;
				});
				bareConcurrent.time(() -> {
					List<Future<String>> all = new ArrayList<>();
					for (int i = 0; i < CONCURRENT; i++) {
						all.add(threads.submit(() -> bareExec(docker, id)));
					}
					for (Future<String> each : all) {
						each.get(2, TimeUnit.MINUTES);
					}
					return null;
				});
			}
			for (Sandbox extra : four.subList(1, four.size())) {
				extra.kill();
			}
			threads.shutdown();
			for (LocalLatencies latencies : List.of(create, run, bare, bareWithExit, write, read, exists, list, sequential, concurrent,
					spreadSequential, spreadConcurrent, bareSequential, bareConcurrent, kill)) {
				System.out.println(latencies.line());
			}
			System.out.println(String.format(Locale.ROOT, "  runCommand p50 / bare exec p50        = %.3f  (session path; issue 14 target <= 0.1)",
					run.percentile(50) / bare.percentile(50)));
			System.out.println(String.format(Locale.ROOT,
					"  sequential p50 / concurrent p50       = %.2fx in one sandbox, %.2fx over 4 sandboxes, bare peer %.2fx"
							+ " in one (target >= 1.5x)",
					sequential.percentile(50) / concurrent.percentile(50),
					spreadSequential.percentile(50) / spreadConcurrent.percentile(50),
					bareSequential.percentile(50) / bareConcurrent.percentile(50)));
			System.out.println(String.format(Locale.ROOT,
					"  JVM CPU per call                      = %.2f ms runCommand, %.2f ms bare exec",
					runCpu / 1e6 / SAMPLES, bareCpu / 1e6 / SAMPLES));
			System.out.println(String.format(Locale.ROOT, "  exists p50                            = %.2f ms (target < 5 ms)",
					exists.percentile(50)));
			System.out.println(String.format(Locale.ROOT,
					"  process starts (Engine exec_create events): %.2f per listDirectory (target <= 1), %.2f per exists",
					listExecs / (double) SAMPLES, existsExecs / (double) (SAMPLES * 2)));
		}
	}

	/** {@value #CONCURRENT} {@code echo hi}, one after the other, taking the sandboxes in turn. */
	private static Void runSequentially(List<Sandbox> sandboxes) {
		for (int i = 0; i < CONCURRENT; i++) {
			sandboxes.get(i % sandboxes.size()).runCommand("echo hi");
		}
		return null;
	}

	/** {@value #CONCURRENT} {@code echo hi} at once through the asynchronous face, taking the sandboxes in turn. */
	private static Void runConcurrently(List<Sandbox> sandboxes) throws Exception {
		List<CompletableFuture<CommandResult>> all = new ArrayList<>();
		for (int i = 0; i < CONCURRENT; i++) {
			all.add(sandboxes.get(i % sandboxes.size()).async().runCommand("echo hi"));
		}
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		return null;
	}

	/** What a caller of docker-java alone does for {@code echo hi}: create the exec, start it, read it to its end. */
	static String bareExec(DockerClient docker, String containerId) throws InterruptedException {
		String execId = docker.execCreateCmd(containerId)
			.withCmd("sh", "-c", "echo hi")
			.withAttachStdout(true)
			.withAttachStderr(true)
			.exec()
			.getId();
		docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
		return execId;
	}

	/** How many processes the Engine started in a container between two instants, from its event log. */
	static long execsBetween(DockerClient docker, String containerId, Instant from, Instant to)
			throws InterruptedException {
		List<Event> events = new ArrayList<>();
		docker.eventsCmd()
			.withContainerFilter(containerId)
			.withEventFilter("exec_create")
			.withSince(epochSeconds(from))
			.withUntil(epochSeconds(to.plusMillis(1)))
			.exec(new ResultCallback.Adapter<Event>() {
				@Override
				public void onNext(Event event) {
					events.add(event);
				}
			})
			.awaitCompletion(30, TimeUnit.SECONDS);
		return events.size();
	}

	/** CPU time of this whole JVM, all threads: what a call costs the client, beyond waiting. */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String epochSeconds(Instant instant) {
		return String.format(Locale.ROOT, "%d.%09d", instant.getEpochSecond(), instant.getNano());
	}

	static DockerClient bareClient(String apiVersion) {
		DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
			.withApiVersion(apiVersion)
			.build();
		return DockerClientImpl.getInstance(config,
				new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
	}

	static void check(boolean condition, String what) {
		if (!condition) {
			throw new IllegalStateException("Benchmark saw a wrong result: " + what);
		}
	}

}
