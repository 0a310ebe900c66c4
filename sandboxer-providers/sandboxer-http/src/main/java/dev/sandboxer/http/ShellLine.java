package dev.sandboxer.http;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pieces of a POSIX shell line for vendors whose command API lacks a field (a user, an environment) and so must be
 * given it in the command line itself. Every value the caller passes becomes one single-quoted word (a {@code '}
 * inside is written {@code '\''}), so the shell reads nothing in it as syntax; names are checked against what a user
 * or environment variable name can be before they are written at all.
 * <p>
 * Another user is reached with {@code sudo -n}: {@code -n} makes sudo fail at once instead of waiting for a password
 * nobody can type, so an image without sudo, or whose user may not switch without a password, fails fast;
 * {@link #userCheck} is the line that finds out before a command depends on it. sudo starts the command with a clean
 * environment, which is why the environment goes after it, as {@code env NAME=value} words.
 */
public final class ShellLine {

	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** What useradd accepts, plus the trailing {@code $} of machine accounts. */
	private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?");

	private ShellLine() {
	}

	/**
	 * {@code text} as one single-quoted shell word.
	 * @throws IllegalArgumentException if the text holds a NUL character, which no shell word can carry
	 */
	public static String quote(String text) {
		if (text.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("A shell word cannot hold a NUL character");
		}
		return "'" + text.replace("'", "'\\''") + "'";
	}

	/**
	 * {@code sudo -n -H -u 'user' -- }: what runs the words after it as {@code user}, with that user's home as
	 * {@code HOME}.
	 * @throws IllegalArgumentException if {@code user} is not a user name
	 */
	public static String asUser(String user) {
		return "sudo -n -H -u " + quote(userName(user)) + " -- ";
	}

	/**
	 * The line that succeeds (exit 0, no output) exactly when commands can be run as {@code user} the way
	 * {@link #asUser} runs them.
	 */
	public static String userCheck(String user) {
		return "sudo -n -u " + quote(userName(user)) + " -- true";
	}

	/**
	 * {@code env 'NAME=value' ... } for a non-empty environment, nothing for an empty one.
	 * @throws IllegalArgumentException if a name is not an environment variable name
	 */
	public static String env(Map<String, String> env) {
		if (env.isEmpty()) {
			return "";
		}
		StringBuilder words = new StringBuilder("env ");
		env.forEach((name, value) -> {
			if (!ENV_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("An environment variable name is letters, digits and '_', not "
						+ "starting with a digit; got '" + name + "'");
			}
			words.append(quote(name + "=" + value)).append(' ');
		});
		return words.toString();
	}

	/** {@code sh -c 'command'}: the user's shell code, handed over as one word and parsed once, by that shell. */
	public static String shellCommand(String command) {
		return "sh -c " + quote(command);
	}

	/**
	 * {@code sudo ... -- env ... program}: {@code program} (a line made of quoted words, such as
	 * {@link #shellCommand}) run as {@code user} with the environment.
	 */
	public static String runAs(String user, Map<String, String> env, String program) {
		return asUser(user) + env(env) + program;
	}

	private static String userName(String user) {
		if (!USER_NAME.matcher(user).matches()) {
			throw new IllegalArgumentException("Not a user name: '" + user + "'");
		}
		return user;
	}

}
