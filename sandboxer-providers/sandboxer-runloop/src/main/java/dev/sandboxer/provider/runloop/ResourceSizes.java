package dev.sandboxer.provider.runloop;

import org.jspecify.annotations.Nullable;

/**
 * Runloop's named sizes ({@code LaunchParameters.resource_size_request}) and the custom-size rules, from its spec:
 * CPUs are 1 or a multiple of 2 up to 16, memory 1 GiB or a multiple of 2 GiB up to 64, and memory per CPU between 2
 * and 8 GiB.
 */
final class ResourceSizes {

	static final String CUSTOM = "CUSTOM_SIZE";

	private ResourceSizes() {
	}

	/** {CPUs, memory MiB} of a named size ({@code X_SMALL} has half a CPU, reported as 1), or {@code null}. */
	static int @Nullable [] of(@Nullable String size) {
		if (size == null) {
			return null;
		}
		return switch (size) {
			case "X_SMALL" -> new int[] { 1, 1024 };
			case "SMALL" -> new int[] { 1, 2048 };
			case "MEDIUM" -> new int[] { 2, 4096 };
			case "LARGE" -> new int[] { 2, 8192 };
			case "X_LARGE" -> new int[] { 4, 16384 };
			case "XX_LARGE" -> new int[] { 8, 32768 };
			default -> null;
		};
	}

	/**
	 * The custom size for a request: each asked-for value rounded up to the nearest size Runloop accepts, and a
	 * missing one chosen inside the allowed ratio (2 GiB per CPU, or a CPU per 4 GiB).
	 * @return {cores, GiB}
	 * @throws IllegalArgumentException beyond Runloop's largest size
	 */
	static int[] custom(@Nullable Integer cpus, @Nullable Integer memoryMb) {
		Integer gib = (memoryMb != null) ? evenOrOne((memoryMb + 1023) / 1024) : null;
		Integer cores = (cpus != null) ? evenOrOne(cpus) : null;
		if (cores == null) {
			cores = evenOrOne(Math.max(1, gib / 4));
		}
		if (gib == null) {
			gib = cores * 2;
		}
		gib = Math.max(gib, cores * 2);
		cores = Math.max(cores, evenOrOne((gib + 7) / 8));
		if (cores > 16 || gib > 64) {
			throw new IllegalArgumentException("Runloop's largest devbox has 16 CPUs and 64 GiB of memory, asked for "
					+ cores + " CPUs and " + gib + " GiB");
		}
		return new int[] { cores, gib };
	}

	private static int evenOrOne(int value) {
		return (value <= 1) ? 1 : value + (value % 2);
	}

}
