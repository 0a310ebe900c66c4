package dev.sandboxer.provider.runloop;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Builds the one line Runloop's exec API runs in the devbox shell. The API has no fields for a working directory,
 * environment or user, so they become a prefix in which every value is single-quoted (a {@code '} inside becomes
 * {@code '\''}): nothing the caller passes is ever read by the shell as syntax. The user's command line itself is
 * handed to {@code bash -c} as one quoted argument, so it is parsed once, by that bash, as the caller meant.
 */
final class ShellCommand {

	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?");

	private ShellCommand() {
	}

	/** {@code text} as one single-quoted shell word. */
	static String quote(String text) {
		return "'" + text.replace("'", "'\\''") + "'";
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
			if (!USER_NAME.matcher(user).matches()) {
				throw new IllegalArgumentException("Not a user name: '" + user + "'");
			}
			// -n: fail at once instead of waiting for a password nobody can type; -H: the user's own home.
			line.append("sudo -n -H -u ").append(quote(user)).append(" -- ");
		}
		if (!env.isEmpty()) {
			line.append("env");
			env.forEach((name, value) -> {
				if (!ENV_NAME.matcher(name).matches()) {
					throw new IllegalArgumentException("Not an environment variable name: '" + name + "'");
				}
				line.append(' ').append(quote(name + "=" + value));
			});
			line.append(' ');
		}
		line.append("bash -c ").append(quote(command));
		return line.toString();
	}

}
