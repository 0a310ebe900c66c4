package dev.sandboxer.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Wall times of one measured operation, and their percentiles in milliseconds. */
final class LocalLatencies {

	private final String name;

	private final List<Long> nanos = new ArrayList<>();

	LocalLatencies(String name) {
		this.name = name;
	}

	/** Times one run of an action. */
	<T> T time(Action<T> action) throws Exception {
		long started = System.nanoTime();
		T result = action.run();
		this.nanos.add(System.nanoTime() - started);
		return result;
	}

	void add(long elapsedNanos) {
		this.nanos.add(elapsedNanos);
	}

	/** The nearest-rank percentile, in milliseconds. */
	double percentile(int p) {
		List<Long> sorted = new ArrayList<>(this.nanos);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1)) / 1_000_000.0;
	}

	String line() {
		return String.format(Locale.ROOT, "  %-34s p50 %9.2f ms   p90 %9.2f ms   (n=%d)", this.name, percentile(50),
				percentile(90), this.nanos.size());
	}

	/** Something to time. */
	@FunctionalInterface
	interface Action<T> {

		T run() throws Exception;

	}

}
