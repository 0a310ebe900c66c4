package dev.sandboxer.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up time of the web sample with the Sandboxer starter against the same stack without it
 * ({@code samples/startup-baseline}), each start in a fresh JVM, the two interleaved so that machine noise falls on
 * both alike. The figure per start is Spring Boot's own "process running for" (JVM start to application started).
 * <p>
 * Run from the repository root after building both jars:
 *
 * <pre>
 * ./mvnw -q -pl samples/web,samples/startup-baseline -am package -DskipTests
 * java benchmarks/src/main/java/dev/sandboxer/benchmarks/StartupBenchmark.java [starts] [image]
 * </pre>
 */
public final class StartupBenchmark {

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in [\\d.]+ seconds \\(process running for ([\\d.]+)\\)");

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int starts = (args.length > 0) ? Integer.parseInt(args[0]) : 9;
		String image = (args.length > 1) ? args[1] : "sandboxer-test/busybox:latest";
		Path withStarter = requireJar("samples/web/target/web.jar");
		Path without = requireJar("samples/startup-baseline/target/startup-baseline.jar");
		List<String> common = List.of("--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=warn",
				"--logging.level.dev.sandboxer.samples=info");

		// One start of each first, untimed: it fills the OS page cache with both jars.
		start(without, common);
		start(withStarter, with(common, image));
		List<Double> baseline = new ArrayList<>();
		List<Double> starter = new ArrayList<>();
		for (int i = 0; i < starts; i++) {
			baseline.add(start(without, common));
			starter.add(start(withStarter, with(common, image)));
		}
		print("web stack without Sandboxer", baseline);
		print("web sample with the starter", starter);
		double added = median(starter) - median(baseline);
		System.out.printf(Locale.ROOT, "added by the starter (median - median): %+.0f ms  (%.2fx; target < 150 ms)%n",
				added, median(starter) / median(baseline));
	}

	private static List<String> with(List<String> common, String image) {
		List<String> arguments = new ArrayList<>(common);
		arguments.add("--sandboxer.providers.local.image=" + image);
		return arguments;
	}

	/** Starts a jar, waits for Spring Boot's "Started" line, stops the JVM; returns the JVM's age then, in ms. */
	private static double start(Path jar, List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			StringBuilder seen = new StringBuilder();
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					return Double.parseDouble(started.group(1)) * 1000;
				}
				seen.append(line).append('\n');
			}
			throw new IllegalStateException(jar + " ended without starting:\n" + seen);
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static void print(String label, List<Double> millis) {
		System.out.printf(Locale.ROOT, "%-30s n=%d  p50 %5.0f ms  p90 %5.0f ms  min %5.0f ms  max %5.0f ms%n", label,
				millis.size(), median(millis), percentile(millis, 0.9), Collections.min(millis),
				Collections.max(millis));
	}

	private static double median(List<Double> values) {
		return percentile(values, 0.5);
	}

	/** Nearest-rank percentile. */
	private static double percentile(List<Double> values, double fraction) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(fraction * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static Path requireJar(String path) {
		Path jar = Path.of(path);
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(path + " is missing: build it first with "
					+ "./mvnw -q -pl samples/web,samples/startup-baseline -am package -DskipTests");
		}
		return jar;
	}

}
