package dev.sandboxer.provider.local;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A moved deadline, carried in the container's name: {@code sandboxer-<short id>-expires-20260102T030405.123Z}.
 * <p>
 * Labels cannot change after a container is made, and the deadline file inside the container would cost a call per
 * sandbox to read. The name is the one thing about a container that can change and that both the list answer and an
 * inspect carry, so {@code list} still needs one Engine call and {@code info} one inspect. The {@code expires-at}
 * label keeps the deadline the sandbox was created with and counts until a name says otherwise. A name counts only
 * when it holds the container's own short id, so one a user gave by hand, or renamed away from, leaves the label in
 * charge. Writing the file and renaming are two calls: when two clients move one deadline at the same moment, the
 * file (which is enforced) and the name (which is reported) may each keep a different one of the two.
 */
final class DeadlineName {

	private static final Pattern NAME = Pattern
		.compile("/?sandboxer-([0-9a-f]{12})-expires-(\\d{8}T\\d{6}\\.\\d{3})Z");

	/** Digits, {@code T} and a dot: all allowed in a container name, unlike the colons of ISO-8601's usual form. */
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS");

	private DeadlineName() {
	}

	static String of(String containerId, Instant deadline) {
		return "sandboxer-" + LocalSandbox.shortId(containerId) + "-expires-"
				+ TIME.format(LocalDateTime.ofInstant(deadline, ZoneOffset.UTC)) + "Z";
	}

	/** The deadline a name carries for this container, or {@code null} when it carries none. */
	static @Nullable Instant read(@Nullable String name, String containerId) {
		if (name == null) {
			return null;
		}
		Matcher matcher = NAME.matcher(name);
		if (!matcher.matches() || !matcher.group(1).equals(LocalSandbox.shortId(containerId))) {
			return null;
		}
		try {
			return LocalDateTime.parse(matcher.group(2), TIME).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** The deadline in the first of a list entry's names that carries one. */
	static @Nullable Instant read(String @Nullable [] names, String containerId) {
		if (names != null) {
			for (String name : names) {
				Instant deadline = read(name, containerId);
				if (deadline != null) {
					return deadline;
				}
			}
		}
		return null;
	}

}
