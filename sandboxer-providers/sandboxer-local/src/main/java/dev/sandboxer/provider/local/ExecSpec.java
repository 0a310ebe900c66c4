package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A process to run in a container.
 *
 * @param argv the program and its arguments, passed to the Engine as they are (no shell parses them)
 * @param user the user to run as; the container's default when {@code null}
 * @param env variables added to the container's environment for this process
 * @param cwd the working directory; the container's default when {@code null}
 * @param timeout when to kill it (with its children)
 */
record ExecSpec(List<String> argv, @Nullable String user, Map<String, String> env, @Nullable String cwd,
		Duration timeout) {

	ExecSpec {
		argv = List.copyOf(argv);
		env = Map.copyOf(env);
	}

	/** A shell script run as {@code sh -c script sh arg...}: the arguments reach it as {@code $1...}, never parsed. */
	static ExecSpec script(String script, @Nullable String user, Duration timeout, String... args) {
		List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
		argv.addAll(List.of(args));
		return new ExecSpec(argv, user, Map.of(), null, timeout);
	}

}
