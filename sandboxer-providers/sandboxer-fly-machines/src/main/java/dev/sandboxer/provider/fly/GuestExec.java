package dev.sandboxer.provider.fly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sandboxer.provider.fly.MachineJson.ExecRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Runs scripts in a machine through {@code POST .../exec}. The API takes an argv and has no working directory,
 * environment or user, so everything runs as {@code /bin/sh -c SCRIPT sh ARG...}: the script is a constant of this
 * package and every value (paths, sizes, the user's command line) travels as a positional argument, never as script
 * text. Only to run as another user does a value become text: {@code su -s /bin/sh -c 'set -- ARG...; SCRIPT' USER},
 * with every argument strictly single-quoted (see {@link ShellWords}).
 */
final class GuestExec {

	/** What a script gave back. {@code signal} is set when the process was killed by one. */
	record Outcome(int exitCode, @Nullable Integer signal, String stdout, String stderr) {
	}

	private final MachinesApi api;

	GuestExec(MachinesApi api) {
		this.api = api;
	}

	/**
	 * @param script a constant script reading its values from {@code $1}, {@code $2}...
	 * @param args the values, in order
	 * @param user the user to run as; the machine's default (root) when {@code null}
	 * @param stdin text for the script's standard input, or {@code null} for none
	 * @param timeout how long the machine lets the script run
	 */
	Mono<Outcome> run(String machineId, String script, List<String> args, @Nullable String user,
			@Nullable String stdin, Duration timeout, String operation) {
		ExecRequest body = new ExecRequest(argv(script, args, user), seconds(timeout), stdin);
		return this.api.exec(machineId, body, operation)
			.map((answer) -> new Outcome((answer.exitCode() != null) ? answer.exitCode() : 0, answer.exitSignal(),
					(answer.stdout() != null) ? answer.stdout() : "", (answer.stderr() != null) ? answer.stderr() : ""));
	}

	/** The argv the exec endpoint runs: the script with its arguments, through {@code su} for another user. */
	static List<String> argv(String script, List<String> args, @Nullable String user) {
		List<String> argv = new ArrayList<>();
		if (user == null) {
			argv.add("/bin/sh");
			argv.add("-c");
			argv.add(script);
			argv.add("sh");
			argv.addAll(args);
		}
		else {
			argv.add("su");
			argv.add("-s");
			argv.add("/bin/sh");
			argv.add("-c");
			argv.add((args.isEmpty() ? "" : "set -- " + ShellWords.quoteAll(args) + "\n") + script);
			argv.add(ShellWords.user(user));
		}
		return argv;
	}

	/** Whole seconds, rounded up, at least one. */
	static int seconds(Duration duration) {
		long seconds = Math.min(duration.getSeconds(), Integer.MAX_VALUE - 1L) + ((duration.getNano() > 0) ? 1 : 0);
		return (int) Math.max(1, seconds);
	}

}
