package dev.sandboxer.provider.e2b;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** The version of envd a sandbox runs ({@code envdVersion}); some behaviours depend on it. */
record EnvdVersion(int major, int minor, int patch) implements Comparable<EnvdVersion> {

	/** From this version on, envd runs calls without a named user as the sandbox's default user. */
	static final EnvdVersion DEFAULT_USER = new EnvdVersion(0, 4, 0);

	private static final Pattern SEMVER = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+).*");

	/** The version, or {@code null} when it is absent or not {@code x.y.z} (treated as a current envd). */
	static @Nullable EnvdVersion parse(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = SEMVER.matcher(text.strip());
		if (!matcher.matches()) {
			return null;
		}
		try {
			return new EnvdVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
					Integer.parseInt(matcher.group(3)));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	boolean isBefore(EnvdVersion other) {
		return compareTo(other) < 0;
	}

	@Override
	public int compareTo(EnvdVersion other) {
		int byMajor = Integer.compare(this.major, other.major);
		if (byMajor != 0) {
			return byMajor;
		}
		int byMinor = Integer.compare(this.minor, other.minor);
		return (byMinor != 0) ? byMinor : Integer.compare(this.patch, other.patch);
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
