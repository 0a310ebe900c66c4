package dev.sandboxer.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the CPU of a stretch of work goes on this host: the sandbox's container (its cgroup), the Docker Engine's
 * own processes ({@code dockerd}, {@code containerd}, the shims) and this JVM. Read from cgroup files and
 * {@code /proc}, so only when the Engine runs on this machine; a figure that cannot be read is {@code NaN}.
 */
final class CpuShares {

	/** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
	private static final double TICK_MS = 10.0;

	private static final List<String> ENGINE_PROCESSES = List.of("dockerd", "containerd", "containerd-shim",
			"containerd-shim-runc-v2", "docker-proxy");

	private final String containerId;

	private final double containerMs;

	private final double engineMs;

	private final double jvmMs;

	private CpuShares(String containerId, double containerMs, double engineMs, double jvmMs) {
		this.containerId = containerId;
		this.containerMs = containerMs;
		this.engineMs = engineMs;
		this.jvmMs = jvmMs;
	}

	static CpuShares now(String containerId) {
		return new CpuShares(containerId, containerMs(containerId), engineMs(), jvmMs());
	}

	/** CPU milliseconds since {@code before}, per unit of work: container, Engine, JVM, total. */
	double[] since(CpuShares before, int units) {
		CpuShares after = now(this.containerId);
		double container = (after.containerMs - before.containerMs) / units;
		double engine = (after.engineMs - before.engineMs) / units;
		double jvm = (after.jvmMs - before.jvmMs) / units;
		return new double[] { container, engine, jvm, container + engine + jvm };
	}

	static String describe(double[] perUnit) {
		return String.format(Locale.ROOT, "container %.2f ms + Docker Engine %.2f ms + JVM %.2f ms = %.2f ms",
				perUnit[0], perUnit[1], perUnit[2], perUnit[3]);
	}

	private static double containerMs(String containerId) {
		// cgroup v1 (cpuacct, nanoseconds), then v2 with the cgroupfs or the systemd driver (microseconds).
		Path v1 = Path.of("/sys/fs/cgroup/cpuacct/docker", containerId, "cpuacct.usage");
		try {
			if (Files.isReadable(v1)) {
				return Long.parseLong(Files.readString(v1).strip()) / 1e6;
			}
			for (Path v2 : List.of(Path.of("/sys/fs/cgroup/docker", containerId, "cpu.stat"),
					Path.of("/sys/fs/cgroup/system.slice", "docker-" + containerId + ".scope", "cpu.stat"))) {
				if (Files.isReadable(v2)) {
					for (String line : Files.readAllLines(v2)) {
						if (line.startsWith("usage_usec ")) {
							return Long.parseLong(line.substring("usage_usec ".length()).strip()) / 1e3;
						}
					}
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Not readable here: NaN below.
		}
		return Double.NaN;
	}

	private static double engineMs() {
		double total = 0;
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter((path) -> path.getFileName().toString().matches("[0-9]+")).toList()) {
				try {
					String stat = Files.readString(process.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					if (ENGINE_PROCESSES.contains(name)) {
						String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
						total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MS;
					}
				}
				catch (IOException | RuntimeException ex) {
					// A process that ended meanwhile.
				}
			}
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		return total;
	}

	private static double jvmMs() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime() / 1e6;
		}
		return Double.NaN;
	}

}
