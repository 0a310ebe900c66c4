package dev.sandboxer.provider.fly;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.http.ShellLine;

/**
 * Strict POSIX single quoting, for the few places where a value has to become part of a shell script's text
 * rather than an argument of it (running as another user through {@code su -c}, environment variables). Inside
 * single quotes a shell interprets nothing; a single quote itself is closed, escaped and reopened ({@code '\''}).
 */
final class ShellWords {

	/** Portable environment variable names; anything else would be shell syntax, not a name. */
	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** User names and uids as {@code useradd} accepts them; never an option ({@code -c}) for {@code su}. */
	private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

	private ShellWords() {
	}

	static String quote(String value) {
		return ShellLine.quote(value);
	}

	static String quoteAll(List<String> values) {
		return values.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
	}

	static String envName(String name) {
		if (!ENV_NAME.matcher(name).matches()) {
			throw new BadConfigException(FlySettings.PROVIDER, "env",
					"An environment variable name is letters, digits and '_' and does not start with a digit, got '"
							+ name + "'");
		}
		return name;
	}

	static String user(String user) {
		if (!USER.matcher(user).matches()) {
			throw new BadConfigException(FlySettings.PROVIDER, "user",
					"A user is a user name or uid (letters, digits, '_', '.', '-'), got '" + user + "'");
		}
		return user;
	}

}
