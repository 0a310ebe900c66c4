package dev.sandboxer.provider.runloop;

import java.util.List;
import java.util.Map;

import dev.sandboxer.http.ShellLine;
import org.jspecify.annotations.Nullable;

/**
 * Builds the one line Runloop's exec API runs in the devbox shell. The API has no fields for a working directory,
 * environment or user, so they become a prefix in which every value is single-quoted (a {@code '} inside becomes
 * {@code '\''}): nothing the caller passes is ever read by the shell as syntax. The user's command line itself is
 * handed to {@code bash -c} as one quoted argument, so it is parsed once, by that bash, as the caller meant.
 */
final class ShellCommand {

	private ShellCommand() {
	}

	/** {@code text} as one single-quoted shell word. */
	static String quote(String text) {
		return ShellLine.quote(text);
	}

	/** Words quoted one by one and joined: an argv the shell passes on unchanged. */
	static String argv(List<String> words) {
		StringBuilder line = new StringBuilder();
		for (String word : words) {
			if (!line.isEmpty()) {
				line.append(' ');
			}
			line.append(quote(word));
		}
		return line.toString();
	}

	/**
	 * The line for a user's shell command with its options, or the command unchanged when it has none (the devbox
	 * shell then runs it exactly as Runloop's own clients would).
	 * @param announcePid whether the first line of stdout is the pid of the process that runs the command (the shell
	 * prints its own pid, then {@code exec}s the command in its place)
	 */
	static String of(String command, @Nullable String cwd, Map<String, String> env, @Nullable String user,
			boolean announcePid) {
		if (cwd == null && env.isEmpty() && user == null && !announcePid) {
			return command;
		}
		StringBuilder line = new StringBuilder();
		if (cwd != null) {
			line.append("cd -- ").append(quote(cwd)).append(" && ");
		}
		if (announcePid) {
			line.append("echo $$ && ");
		}
		line.append("exec ");
		if (user != null) {
			line.append(ShellLine.asUser(user));
		}
		line.append(ShellLine.env(env));
		line.append("bash -c ").append(quote(command));
		return line.toString();
	}

}
