package dev.sandboxer.provider.daytona;

import java.util.Map;
import java.util.regex.Pattern;

import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.http.ShellLine;
import org.jspecify.annotations.Nullable;

/**
 * Builds the script a session runs for a started command, because the session API takes only a command line: the
 * working directory and the environment go in front of it, strictly single-quoted, never interpolated. The user's
 * command is shell code by contract ({@link dev.sandboxer.model.StartCommandRequest}) and goes in as written.
 * <p>
 * Everything runs in a subshell: a session sources the script in its own shell, where an {@code exit} or a
 * {@code cd} would otherwise end or move the session itself.
 */
final class ShellWords {

	/** Marks where the user's command starts, so that {@code listProcesses} can show it without the wrapping. */
	static final String COMMAND_MARK = "#sandboxer:command";

	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private ShellWords() {
	}

	/** {@code 'text'}, with each {@code '} written as {@code '"'"'}: nothing inside is interpreted by the shell. */
	static String quote(String text) {
		return "'" + text.replace("'", "'\"'\"'") + "'";
	}

	/**
	 * The script for {@code command}; with a {@code user}, the command line after the mark is
	 * {@code exec sudo -n -H -u <user> -- env <env> sh -c <command>} ({@link ShellLine#runAs}), since sudo would drop
	 * exported variables.
	 */
	static String script(String command, @Nullable String cwd, Map<String, String> env, @Nullable String user) {
		StringBuilder script = new StringBuilder("(\n");
		if (cwd != null) {
			script.append("cd -- ").append(quote(cwd)).append(" || exit 1\n");
		}
		if (user != null) {
			return script.append(COMMAND_MARK).append('\n').append("exec ")
				.append(ShellLine.runAs(user, env, ShellLine.shellCommand(command))).append("\n)").toString();
		}
		for (Map.Entry<String, String> entry : env.entrySet()) {
			if (!ENV_NAME.matcher(entry.getKey()).matches()) {
				throw new BadConfigException(DaytonaSettings.PROVIDER, "env",
						"An environment variable name is letters, digits and '_', not starting with a digit; got '"
								+ entry.getKey() + "'");
			}
			script.append("export ").append(quote(entry.getKey() + "=" + entry.getValue())).append('\n');
		}
		return script.append(COMMAND_MARK).append('\n').append(command).append("\n)").toString();
	}

	/** The user's command inside a script made by {@link #script}; the whole text for anything else. */
	static String command(String script) {
		int mark = script.indexOf(COMMAND_MARK + "\n");
		if (mark < 0 || !script.endsWith("\n)")) {
			return script;
		}
		return script.substring(mark + COMMAND_MARK.length() + 1, script.length() - 2);
	}

}
