package dev.sandboxer.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Sandboxer adds to an application's start-up, jar and loaded classes, for its two ways in:
 * <ul>
 * <li><b>slim</b>: {@code samples/slim}, the auto-configuration and the E2B module, one {@code e2b} entry;</li>
 * <li><b>full</b>: {@code samples/web}, the starter with every provider, a {@code local} and an {@code e2b}
 * entry;</li>
 * </ul>
 * each against the same web stack without Sandboxer ({@code samples/startup-baseline}). Every start is a fresh JVM,
 * the three interleaved so that machine noise falls on all alike; the figure per start is Spring Boot's own "process
 * running for" (JVM start to application started). Classes are counted in one more start of each with
 * {@code -Xlog:class+load}, up to the "Started" line. No vendor is called: the apps only start.
 * <p>
 * Run from the repository root after building the jars:
 *
 * <pre>
 * ./mvnw -q -pl samples/web,samples/slim,samples/startup-baseline -am package -DskipTests
 * java benchmarks/src/main/java/dev/sandboxer/benchmarks/StartupBenchmark.java [starts] [image]
 * </pre>
 */
public final class StartupBenchmark {

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in [\\d.]+ seconds \\(process running for ([\\d.]+)\\)");

	private static final String CLASS_LOADED = "[class,load]";

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int starts = (args.length > 0) ? Integer.parseInt(args[0]) : 9;
		String image = (args.length > 1) ? args[1] : "sandboxer-test/busybox:latest";
		List<String> common = List.of("--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=warn",
				"--logging.level.dev.sandboxer.samples=info");
		// An e2b entry that is configured but never called: a key, and a URL nothing listens on.
		List<String> e2b = List.of("--sandboxer.providers.e2b.api-key=benchmark-key",
				"--sandboxer.providers.e2b.base-url=http://127.0.0.1:9");
		Map<String, App> apps = new LinkedHashMap<>();
		apps.put("baseline", new App("web stack without Sandboxer", requireJar("samples/startup-baseline/target/startup-baseline.jar"), common));
		apps.put("slim", new App("slim: autoconfigure + e2b", requireJar("samples/slim/target/slim.jar"), concat(common, e2b)));
		apps.put("full", new App("full starter: local + e2b", requireJar("samples/web/target/web.jar"),
				concat(concat(common, e2b), List.of("--sandboxer.providers.local.image=" + image))));

		// One start of each first, untimed: it fills the OS page cache with the jars. It also counts the classes.
		Map<String, Integer> classes = new LinkedHashMap<>();
		for (Map.Entry<String, App> app : apps.entrySet()) {
			classes.put(app.getKey(), (int) start(app.getValue(), true));
		}
		Map<String, List<Double>> millis = new LinkedHashMap<>();
		apps.keySet().forEach((name) -> millis.put(name, new ArrayList<>()));
		for (int i = 0; i < starts; i++) {
			for (Map.Entry<String, App> app : apps.entrySet()) {
				millis.get(app.getKey()).add(start(app.getValue(), false));
			}
		}

		System.out.printf(Locale.ROOT, "%-30s %9s %9s %8s %9s  (n=%d starts each)%n", "app", "p50 ms", "p90 ms",
				"jar MB", "classes", starts);
		for (Map.Entry<String, App> app : apps.entrySet()) {
			List<Double> values = millis.get(app.getKey());
			System.out.printf(Locale.ROOT, "%-30s %9.0f %9.0f %8.1f %9d%n", app.getValue().label(), median(values),
					percentile(values, 0.9), megabytes(app.getValue().jar()), classes.get(app.getKey()));
		}
		App baseline = apps.get("baseline");
		double base = median(millis.get("baseline"));
		added("slim", apps.get("slim"), baseline, median(millis.get("slim")) - base, classes, "< 150 ms, jar < 8 MB");
		added("full", apps.get("full"), baseline, median(millis.get("full")) - base, classes, "< 400 ms");
	}

	private static void added(String name, App app, App baseline, double millis, Map<String, Integer> classes,
			String target) throws IOException {
		System.out.printf(Locale.ROOT, "added by %-5s: start-up %+5.0f ms, jar %+5.1f MB, classes %+6d  (target %s)%n",
				name, millis, megabytes(app.jar()) - megabytes(baseline.jar()),
				classes.get(name) - classes.get("baseline"), target);
	}

	/**
	 * Starts a jar, waits for Spring Boot's "Started" line, stops the JVM; returns the JVM's age then in ms, or with
	 * {@code countClasses} the number of classes loaded until then.
	 */
	private static double start(App app, boolean countClasses) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(javaBinary()));
		if (countClasses) {
			command.add("-Xlog:class+load=info:stdout");
		}
		command.addAll(List.of("-jar", app.jar().toString()));
		command.addAll(app.arguments());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			StringBuilder seen = new StringBuilder();
			int loaded = 0;
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				if (line.contains(CLASS_LOADED)) {
					loaded++;
					continue;
				}
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					return countClasses ? loaded : Double.parseDouble(started.group(1)) * 1000;
				}
				seen.append(line).append('\n');
			}
			throw new IllegalStateException(app.jar() + " ended without starting:\n" + seen);
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static double megabytes(Path jar) throws IOException {
		return Files.size(jar) / 1_000_000.0;
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
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
					+ "./mvnw -q -pl samples/web,samples/slim,samples/startup-baseline -am package -DskipTests");
		}
		return jar;
	}

	private record App(String label, Path jar, List<String> arguments) {
	}

}
