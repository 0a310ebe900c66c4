package dev.sandboxer.provider.fly;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.provider.fly.GuestExec.Outcome;
import dev.sandboxer.provider.fly.MachineJson.ProcessStat;
import dev.sandboxer.spi.CommandOutputCollector;
import reactor.core.publisher.Mono;

/**
 * Commands over {@code exec}. The API answers a command's output whole when it ends, so a listener hears it once,
 * at the end; there is no output stream to follow on Fly.
 * <p>
 * A command's own timeout is enforced twice: in the machine, by a watchdog that kills the command's whole process
 * group (GNU's {@code timeout} would do, BusyBox's kills only the direct child and leaves grandchildren holding the
 * output), and as the exec's {@code timeout}, a few seconds later, as a backstop. The HTTP call waits
 * for both plus a margin, never the provider's default timeout. A command that ran its full time and died of
 * SIGKILL is reported as timed out.
 * <p>
 * Background commands keep their state in the machine, under {@value #JOBS}/&lt;handle&gt;, so any client
 * attached to the machine can wait for them: a supervisor started with {@code setsid nohup} runs the command,
 * records its pid, waits, and writes the exit code last (by rename). {@code waitForHandle} blocks in the machine
 * for up to {@value #WAIT_ROUND_SECONDS} s per exec and asks again until the command ended.
 */
final class GuestCommands {

	static final String JOBS = "/tmp/.sandboxer-jobs";

	static final int WAIT_ROUND_SECONDS = 25;

	/** The backstop after a command's own timeout, so the in-machine kill comes first and its output is kept. */
	private static final Duration BACKSTOP = Duration.ofSeconds(5);

	private static final Pattern HANDLE = Pattern.compile("[0-9a-f]{32}");

	/**
	 * $1 cwd (may be empty), $2 timeout in seconds (may be empty), $3 the command line, then NAME=VALUE pairs. With a
	 * timeout, the command runs in a session of its own ({@code setsid}) and a watchdog kills that whole process
	 * group at the deadline, so no grandchild survives to hold the output open.
	 */
	static final String RUN = """
			c=$1; t=$2; x=$3; shift 3
			for a in "$@"; do export "$a" || exit 125; done
			if [ -n "$c" ]; then cd "$c" || exit 1; fi
			if [ -z "$t" ] || ! command -v setsid >/dev/null 2>&1; then exec /bin/sh -c "$x"; fi
			setsid /bin/sh -c "$x" &
			p=$!
			setsid /bin/sh -c 'sleep "$1"; kill -KILL -"$2" 2>/dev/null' watchdog "$t" "$p" </dev/null >/dev/null 2>&1 &
			w=$!
			wait "$p"; s=$?
			kill -KILL -"$w" 2>/dev/null
			exit "$s"
			""";

	/** $1 the job directory, $2 the command line. Runs detached; writes pid, then exit last. */
	static final String SUPERVISOR = """
			d=$1
			date +%s >"$d/started"
			/bin/sh -c "$2" </dev/null >"$d/stdout" 2>"$d/stderr" &
			p=$!
			echo "$p" >"$d/pid.tmp"; mv -f "$d/pid.tmp" "$d/pid"
			wait "$p"
			echo $? >"$d/exit.tmp"
			date +%s >"$d/ended"
			mv -f "$d/exit.tmp" "$d/exit"
			""";

	/**
	 * $1 the jobs directory, $2 the handle, $3 cwd (may be empty), $4 the command line, $5 the supervisor script,
	 * then NAME=VALUE pairs. Prints the command's pid once the supervisor recorded it.
	 */
	static final String START = """
			j=$1; d=$1/$2; c=$3; x=$4; sup=$5; shift 5
			for a in "$@"; do export "$a" || exit 125; done
			mkdir -p "$j" 2>/dev/null; chmod 1777 "$j" 2>/dev/null
			mkdir "$d" || exit 90
			if [ -n "$c" ]; then cd "$c" || exit 91; fi
			s=; command -v setsid >/dev/null 2>&1 && s=setsid
			$s nohup /bin/sh -c "$sup" supervisor "$d" "$x" </dev/null >/dev/null 2>&1 &
			i=0
			while [ ! -s "$d/pid" ]; do
			  i=$((i + 1)); [ "$i" -gt 100 ] && exit 92
			  sleep 0.1 2>/dev/null || sleep 1
			done
			cat "$d/pid"
			""";

	/**
	 * $1 the job directory, $2 how many seconds to wait. Exit 44: no such job; 75: still running. Otherwise prints
	 * "exit started ended", then stdout and stderr in base64 (one line each), so the bytes come back exactly.
	 */
	static final String WAIT = """
			d=$1
			[ -d "$d" ] || exit 44
			i=0
			while [ ! -e "$d/exit" ]; do
			  [ "$i" -ge "$2" ] && exit 75
			  sleep 1; i=$((i + 1))
			done
			echo "$(cat "$d/exit") $(cat "$d/started" 2>/dev/null || echo 0) $(cat "$d/ended" 2>/dev/null || echo 0)"
			base64 <"$d/stdout" | tr -d '\\n'; echo
			base64 <"$d/stderr" | tr -d '\\n'; echo
			""";

	/**
	 * $1 the pid. Exit 44: no such process. Its children are listed first and killed after it, so they are not left
	 * behind; one that ended by itself meanwhile is no failure.
	 */
	static final String KILL = """
			kill -0 "$1" 2>/dev/null || exit 44
			c=$(pgrep -P "$1" 2>/dev/null)
			kill -KILL "$1" 2>/dev/null
			[ -z "$c" ] || kill -KILL $c 2>/dev/null
			exit 0
			""";

	private final String machineId;

	private final MachinesApi api;

	private final GuestExec exec;

	private final Duration defaultTimeout;

	GuestCommands(String machineId, MachinesApi api, GuestExec exec, Duration defaultTimeout) {
		this.machineId = machineId;
		this.api = api;
		this.exec = exec;
		this.defaultTimeout = defaultTimeout;
	}

	Mono<CommandResult> run(RunCommandRequest request, CommandOutputListener listener) {
		Duration own = request.timeout();
		List<String> args = new ArrayList<>();
		args.add((request.cwd() != null) ? request.cwd() : "");
		args.add((own != null) ? Integer.toString(GuestExec.seconds(own)) : "");
		args.add(request.command());
		args.addAll(envPairs(request.env()));
		Duration execTimeout = (own != null) ? own.plus(BACKSTOP) : this.defaultTimeout;
		long started = System.nanoTime();
		return this.exec.run(this.machineId, RUN, args, request.user(), null, execTimeout, "runCommand")
			.map((outcome) -> {
				long elapsedMs = (System.nanoTime() - started) / 1_000_000;
				CommandOutputCollector collector = new CommandOutputCollector(listener);
				byte[] out = outcome.stdout().getBytes(StandardCharsets.UTF_8);
				byte[] err = outcome.stderr().getBytes(StandardCharsets.UTF_8);
				collector.stdout(out, 0, out.length);
				collector.stderr(err, 0, err.length);
				collector.finish();
				boolean killed = outcome.exitCode() == 137 || Integer.valueOf(9).equals(outcome.signal());
				boolean timedOut = own != null && killed && elapsedMs >= own.toMillis();
				return new CommandResult(collector.stdout(), collector.stderr(), timedOut ? -1 : outcome.exitCode(),
						elapsedMs, timedOut, null);
			});
	}

	Mono<CommandHandle> start(StartCommandRequest request) {
		String handle = UUID.randomUUID().toString().replace("-", "");
		List<String> args = new ArrayList<>(List.of(JOBS, handle, (request.cwd() != null) ? request.cwd() : "",
				request.command(), SUPERVISOR));
		args.addAll(envPairs(request.env()));
		return this.exec.run(this.machineId, START, args, request.user(), null, this.defaultTimeout, "startCommand")
			.map((outcome) -> {
				String pid = outcome.stdout().strip();
				if (outcome.exitCode() != 0 || !pid.matches("[0-9]{1,9}")) {
					throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
							+ " startCommand: could not start a background command in machine " + this.machineId
							+ " (exit " + outcome.exitCode() + "): " + outcome.stderr().strip(), null, "start-failed",
							null);
				}
				return new CommandHandle(Integer.parseInt(pid), handle);
			});
	}

	Mono<CommandResult> waitFor(String handle) {
		if (!HANDLE.matcher(handle).matches()) {
			return Mono.error(unknownHandle(handle));
		}
		Duration round = Duration.ofSeconds(WAIT_ROUND_SECONDS).plus(BACKSTOP);
		Mono<Outcome> once = Mono.defer(() -> this.exec.run(this.machineId, WAIT,
				List.of(JOBS + "/" + handle, Integer.toString(WAIT_ROUND_SECONDS)), null, null, round, "waitForHandle"));
		return once.flatMap((outcome) -> switch (outcome.exitCode()) {
			case 75 -> Mono.<CommandResult>empty();
			case 44 -> Mono.<CommandResult>error(unknownHandle(handle));
			case 0 -> Mono.just(result(outcome));
			default -> Mono.<CommandResult>error(new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
					+ " waitForHandle: could not read the state of command " + handle + " (exit "
					+ outcome.exitCode() + "): " + outcome.stderr().strip()));
		}).repeatWhenEmpty(Integer.MAX_VALUE, (rounds) -> rounds);
	}

	Mono<Void> kill(int pid) {
		return this.exec.run(this.machineId, KILL, List.of(Integer.toString(pid)), null, null, this.defaultTimeout,
				"killProcess")
			.flatMap((outcome) -> switch (outcome.exitCode()) {
				case 0 -> Mono.<Void>empty();
				case 44 -> Mono.<Void>error(new NotFoundException(FlySettings.PROVIDER,
						FlySettings.PROVIDER + ": no process " + pid + " in machine " + this.machineId));
				default -> Mono.<Void>error(new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
						+ " killProcess: kill " + pid + " failed (exit " + outcome.exitCode() + "): "
						+ outcome.stderr().strip()));
			});
	}

	/** The machine's processes as the API's {@code ps} endpoint sees them; no exec involved. */
	Mono<List<ProcessInfo>> list() {
		return this.api.processes(this.machineId).map((rows) -> {
			List<ProcessInfo> processes = new ArrayList<>(rows.length);
			for (ProcessStat row : rows) {
				if (row.pid() != null) {
					processes.add(new ProcessInfo(row.pid(), (row.command() != null) ? row.command() : "", null));
				}
			}
			return processes;
		});
	}

	private CommandResult result(Outcome outcome) {
		String[] lines = outcome.stdout().split("\n", -1);
		String[] head = lines[0].strip().split(" ");
		if (lines.length < 3 || head.length < 3) {
			throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
					+ " waitForHandle: the state of a command in machine " + this.machineId + " is incomplete");
		}
		try {
			int exitCode = Integer.parseInt(head[0]);
			long durationMs = Math.max(0, (Long.parseLong(head[2]) - Long.parseLong(head[1])) * 1000);
			CommandOutputCollector collector = new CommandOutputCollector(CommandOutputListener.NONE);
			byte[] out = Base64.getDecoder().decode(lines[1].strip());
			byte[] err = Base64.getDecoder().decode(lines[2].strip());
			collector.stdout(out, 0, out.length);
			collector.stderr(err, 0, err.length);
			collector.finish();
			return new CommandResult(collector.stdout(), collector.stderr(), exitCode, durationMs, false, null);
		}
		catch (IllegalArgumentException ex) {
			throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
					+ " waitForHandle: the state of a command in machine " + this.machineId + " is unreadable ("
					+ ex.getMessage() + ")");
		}
	}

	private NotFoundException unknownHandle(String handle) {
		return new NotFoundException(FlySettings.PROVIDER, FlySettings.PROVIDER + ": no background command with handle '"
				+ handle + "' in machine " + this.machineId);
	}

	/** {@code NAME=VALUE} words for {@code export}: the value is never parsed by the shell, the name is checked. */
	static List<String> envPairs(Map<String, String> env) {
		List<String> pairs = new ArrayList<>(env.size());
		env.forEach((name, value) -> pairs.add(ShellWords.envName(name) + "=" + value));
		return pairs;
	}

}
