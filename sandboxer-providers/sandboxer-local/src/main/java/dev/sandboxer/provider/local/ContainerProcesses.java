package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.ProcessInfo;

/**
 * Processes in the container's own pid space, the one {@code startCommand} and {@code createPty} hand out: listing
 * reads {@code /proc} from inside (Debian's minbase has no {@code ps}, and {@code docker top} would answer host
 * pids, D-L6) and killing signals from inside. Both run as root, so that every process can be seen and killed.
 */
final class ContainerProcesses {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Prints pid, uid and command line of every process but itself, each field ended by NUL. */
	private static final String LIST = """
			self=$$
			for d in /proc/[0-9]*; do
			  p=${d#/proc/}
			  [ "$p" = "$self" ] && continue
			  u=
			  while read -r k v _; do
			    if [ "$k" = "Uid:" ]; then u=$v; break; fi
			  done 2>/dev/null <"$d/status" || continue
			  [ -n "$u" ] || continue
			  c=$(tr '\\0' ' ' 2>/dev/null <"$d/cmdline")
			  [ -n "$c" ] || c="[$(cat "$d/comm" 2>/dev/null)]"
			  printf '%s\\0%s\\0%s\\0' "$p" "$u" "$c"
			done
			""";

	/**
	 * Kills $1 and, when it leads a process group (as a background command does), the whole group. Pid 1 is the
	 * container's init, which ignores signals from inside; killing the sandbox is the way to end it.
	 */
	private static final String KILL = """
			[ -d "/proc/$1" ] || exit 3
			[ "$1" != 1 ] || exit 5
			kill -9 "$1" 2>/dev/null
			kill -9 "-$1" 2>/dev/null
			exit 0
			""";

	private final DockerEngine engine;

	private final ContainerExec exec;

	private final ContainerUsers users;

	ContainerProcesses(DockerEngine engine, ContainerExec exec, ContainerUsers users) {
		this.engine = engine;
		this.exec = exec;
		this.users = users;
	}

	CompletableFuture<List<ProcessInfo>> list(String containerId) {
		CompletableFuture<Map<Long, String>> names = this.engine.call(ContainerExec.subject(containerId),
				(client) -> this.users.userNames(containerId));
		return this.exec.run(containerId, ExecSpec.script(LIST, "0", TIMEOUT), CommandOutputListener.NONE)
			.thenCombine(names, (outcome, userNames) -> parse(outcome, userNames, containerId));
	}

	CompletableFuture<Void> kill(String containerId, int pid) {
		return this.exec
			.run(containerId, ExecSpec.script(KILL, "0", TIMEOUT, Integer.toString(pid)), CommandOutputListener.NONE)
			.thenAccept((outcome) -> {
				switch (outcome.exitCode()) {
					case 0 -> {
					}
					case 3 -> throw new NotFoundException(EngineErrors.PROVIDER,
							"No process with pid " + pid + " in " + ContainerExec.subject(containerId));
					case 5 -> throw new ProviderException(EngineErrors.PROVIDER, "Pid 1 is the init of "
							+ ContainerExec.subject(containerId) + "; kill the sandbox to end it", null, "init-process",
							null);
					default -> throw new ProviderException(EngineErrors.PROVIDER, "Could not kill pid " + pid + " in "
							+ ContainerExec.subject(containerId) + ": " + outcome.stderr().strip());
				}
			});
	}

	private static List<ProcessInfo> parse(ExecOutcome outcome, Map<Long, String> userNames, String containerId) {
		if (outcome.exitCode() != 0) {
			throw new ProviderException(EngineErrors.PROVIDER, "Could not list the processes of "
					+ ContainerExec.subject(containerId) + ": " + outcome.stderr().strip());
		}
		String[] fields = outcome.stdout().split("\0", -1);
		List<ProcessInfo> processes = new ArrayList<>(fields.length / 3);
		for (int i = 0; i + 2 < fields.length; i += 3) {
			try {
				int pid = Integer.parseInt(fields[i]);
				long uid = Long.parseLong(fields[i + 1]);
				String user = userNames.getOrDefault(uid, Long.toString(uid));
				processes.add(new ProcessInfo(pid, fields[i + 2].strip(), user));
			}
			catch (NumberFormatException ex) {
				// A process that ended while it was being read; skip it.
			}
		}
		return processes;
	}

}
