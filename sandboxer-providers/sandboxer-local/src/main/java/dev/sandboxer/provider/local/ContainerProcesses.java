package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.ProcessInfo;
import org.jspecify.annotations.Nullable;

/**
 * Processes in the container's own pid space, the one {@code startCommand} and {@code createPty} hand out: listing
 * reads {@code /proc} from inside (Debian's minbase has no {@code ps}, and {@code docker top} would answer host
 * pids, D-L6) and killing signals from inside. Both run as root, so that every process can be seen and killed.
 * <p>
 * <b>The library's own processes are left out of listings:</b> the lifetime keeper and its {@code sleep}, the
 * wrapper of each command, the session agents ({@link SessionProtocol}), the supervisor of each background command and the scripts behind file and process
 * operations (each names itself {@code sandboxer-...} as its {@code $0}), and their children other than the user's
 * commands. Pid 1, Docker's init, is listed, with the keeper's script left out of its command line.
 */
final class ContainerProcesses {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** The argument separator of a listed command line (NUL would end the field). */
	private static final char ARG_SEPARATOR = '\u0001';

	/** Prints pid, parent pid, uid and the arguments of every process but itself, each field ended by NUL. */
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
			  read -r st 2>/dev/null <"$d/stat" || continue
			  pp=${st##*) }; pp=${pp#* }; pp=${pp%% *}
			  [ "$pp" = "$self" ] && continue
			  c=$(tr '\\0' '\\001' 2>/dev/null <"$d/cmdline")
			  [ -n "$c" ] || c="[$(cat "$d/comm" 2>/dev/null)]"
			  printf '%s\\0%s\\0%s\\0%s\\0' "$p" "$pp" "$u" "$c"
			done
			""";

	/**
	 * Ends $1 and, when it leads a process group (as a background command does), the whole group: with a grace of
	 * $2 tenths of a second, SIGTERM first and SIGKILL only if it still runs when the grace is over; with none,
	 * SIGKILL at once. Pid 1 is the container's init, which ignores signals from inside; killing the sandbox is the
	 * way to end it.
	 */
	private static final String KILL = """
			[ -d "/proc/$1" ] || exit 3
			[ "$1" != 1 ] || exit 5
			alive() {
			  read -r st 2>/dev/null <"/proc/$1/stat" || return 1
			  st=${st##*) }
			  [ "${st%% *}" != Z ]
			}
			n=$2
			if [ "$n" -gt 0 ]; then
			  kill -TERM "$1" 2>/dev/null
			  kill -TERM "-$1" 2>/dev/null
			  while [ "$n" -gt 0 ] && alive "$1"; do sleep 0.1 2>/dev/null || sleep 1; n=$((n - 1)); done
			fi
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
		CompletableFuture<ExecOutcome> listing = this.exec.run(containerId, ExecSpec.script(LIST, "0", TIMEOUT),
				CommandOutputListener.NONE);
		CompletableFuture<List<ProcessInfo>> processes = listing.thenCombine(names,
				(outcome, userNames) -> parse(outcome, userNames, containerId));
		processes.whenComplete((value, error) -> {
			if (processes.isCancelled()) {
				listing.cancel(true);
				names.cancel(true);
			}
		});
		return processes;
	}

	/** SIGKILL at once when the grace is zero; else SIGTERM, and SIGKILL when the grace is over. */
	CompletableFuture<Void> kill(String containerId, int pid, Duration grace) {
		long tenths = (grace.toMillis() + 99) / 100;
		ExecSpec spec = ExecSpec.script(KILL, "0", TIMEOUT.plus(grace), Integer.toString(pid), Long.toString(tenths));
		return ContainerExec.map(this.exec.run(containerId, spec, CommandOutputListener.NONE), (outcome) -> {
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
			return null;
		});
	}

	private static List<ProcessInfo> parse(ExecOutcome outcome, Map<Long, String> userNames, String containerId) {
		if (outcome.exitCode() != 0) {
			throw new ProviderException(EngineErrors.PROVIDER, "Could not list the processes of "
					+ ContainerExec.subject(containerId) + ": " + outcome.stderr().strip());
		}
		String[] fields = outcome.stdout().split("\0", -1);
		List<Listed> listed = new ArrayList<>(fields.length / 4);
		for (int i = 0; i + 3 < fields.length; i += 4) {
			try {
				listed.add(new Listed(Integer.parseInt(fields[i]), Integer.parseInt(fields[i + 1]),
						Long.parseLong(fields[i + 2]), List.of(fields[i + 3].split(String.valueOf(ARG_SEPARATOR)))));
			}
			catch (NumberFormatException ex) {
				// A process that ended while it was being read; skip it.
			}
		}
		Set<Integer> silentParents = new HashSet<>();
		for (Listed process : listed) {
			// A wrapper's children are the commands: shown. A session agent's are its wrappers, whose children are the
			// commands (the wrappers carry the agent's name too, so they are left out themselves).
			if (process.ownName() != null && !process.ownName().startsWith(ContainerExec.WRAPPER_PREFIX)
					&& !process.ownName().startsWith(SessionProtocol.AGENT_NAME)
					&& !process.ownName().equals(BackgroundCommands.SUPERVISOR_NAME)) {
				silentParents.add(process.pid());
			}
		}
		List<ProcessInfo> processes = new ArrayList<>(listed.size());
		for (Listed process : listed) {
			if (process.ownName() != null || silentParents.contains(process.parentPid())) {
				continue;
			}
			String user = userNames.getOrDefault(process.uid(), Long.toString(process.uid()));
			processes.add(new ProcessInfo(process.pid(), process.commandLine(), user));
		}
		return processes;
	}

	/** One line of the listing. */
	private record Listed(int pid, int parentPid, long uid, List<String> argv) {

		/** The {@code sandboxer-...} name a shell of this library gives itself as {@code $0}, else {@code null}. */
		@Nullable String ownName() {
			boolean ours = this.argv.size() >= 4 && this.argv.get(1).equals("-c")
					&& this.argv.get(3).startsWith("sandboxer-") && this.pid != 1;
			return ours ? this.argv.get(3) : null;
		}

		/** The arguments joined by spaces; a script's text (the init's copy of the keeper) is left out. */
		String commandLine() {
			return this.argv.stream()
				.filter((arg) -> arg.indexOf('\n') < 0)
				.collect(Collectors.joining(" "))
				.strip();
		}

	}

}
