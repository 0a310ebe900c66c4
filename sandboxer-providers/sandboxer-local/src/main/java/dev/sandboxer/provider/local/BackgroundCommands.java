package dev.sandboxer.provider.local;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.StartCommandRequest;

/**
 * Commands started in the background, whose state lives in the container, not in this JVM: a client that attaches
 * later, or after this JVM restarted, can still wait for them (the reference SDKs kept it in memory, D-L12).
 * <p>
 * Each command gets a directory {@value #JOBS}/&lt;handle&gt; holding {@code pid}, {@code stdout}, {@code stderr},
 * {@code started} and, once it ended, {@code ended} and {@code exit} (written last, by rename, so its presence means
 * the rest is complete). A small supervisor shell runs the command in its own session ({@code setsid}, when the
 * image has it, so that {@code killProcess} of its pid takes its children along), waits for it and records the exit
 * code. The pid handed back is the command's own, in the container's pid space. Waiting polls the {@code exit} file
 * through the archive endpoint, without starting a process. The state stays in the container after the wait (so a
 * second waiter gets the same result) and goes with it.
 */
final class BackgroundCommands {

	static final String JOBS = "/tmp/.sandboxer-jobs";

	private static final Pattern HANDLE = Pattern.compile("[0-9a-f]{32}");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final long MAX_POLL_DELAY_MS = 250;

	/**
	 * $1 the jobs directory, $2 the handle, $3 the command. The command substitution returns once the supervisor
	 * printed the pid and let go of the pipe; the exec itself then ends while the supervisor lives on.
	 */
	private static final String START = """
			j=$1; d=$1/$2
			mkdir -p "$j" 2>/dev/null; chmod 1777 "$j" 2>/dev/null
			mkdir "$d" || exit 90
			read up _ </proc/uptime; echo "$up" >"$d/started"
			s=; command -v setsid >/dev/null 2>&1 && s=setsid
			pid=$( {
			  $s sh -c "$3" </dev/null >"$d/stdout" 2>"$d/stderr" &
			  echo $!
			  exec >/dev/null 2>&1
			  wait $!
			  echo $? >"$d/exit.tmp"
			  read up _ </proc/uptime; echo "$up" >"$d/ended"
			  mv "$d/exit.tmp" "$d/exit"
			} & )
			echo "$pid" >"$d/pid"
			echo "$pid"
			""";

	private final DockerEngine engine;

	private final ContainerExec exec;

	private final ContainerFiles files;

	BackgroundCommands(DockerEngine engine, ContainerExec exec, ContainerFiles files) {
		this.engine = engine;
		this.exec = exec;
		this.files = files;
	}

	CompletableFuture<CommandHandle> start(String containerId, StartCommandRequest request) {
		String handle = UUID.randomUUID().toString().replace("-", "");
		List<String> argv = List.of("sh", "-c", START, "sh", JOBS, handle, request.command());
		ExecSpec spec = new ExecSpec(argv, request.user(), request.env(), request.cwd(), START_TIMEOUT);
		return this.exec.run(containerId, spec, CommandOutputListener.NONE).thenApply((outcome) -> {
			String pid = outcome.stdout().strip();
			if (outcome.exitCode() != 0 || !pid.matches("[0-9]{1,9}")) {
				throw new ProviderException(EngineErrors.PROVIDER, "Could not start a background command in "
						+ ContainerExec.subject(containerId) + " (exit " + outcome.exitCode() + "): "
						+ outcome.stderr().strip(), null, "start-failed", null);
			}
			return new CommandHandle(Integer.parseInt(pid), handle);
		});
	}

	/** Completes when the command has ended; polls its {@code exit} file with a growing delay. */
	CompletableFuture<CommandResult> waitFor(String containerId, String handle) {
		CompletableFuture<CommandResult> result = new CompletableFuture<>();
		if (!HANDLE.matcher(handle).matches()) {
			result.completeExceptionally(unknown(containerId, handle));
			return result;
		}
		poll(containerId, handle, 0, result);
		return result;
	}

	private void poll(String containerId, String handle, int attempt, CompletableFuture<CommandResult> result) {
		if (result.isDone()) {
			return;
		}
		this.engine.call(ContainerExec.subject(containerId), (client) -> check(containerId, handle, attempt == 0))
			.whenComplete((ended, error) -> {
				if (error != null) {
					result.completeExceptionally(error);
				}
				else if (ended.isPresent()) {
					result.complete(ended.get());
				}
				else {
					long delay = Math.min(5L << Math.min(attempt, 6), MAX_POLL_DELAY_MS);
					this.engine.scheduler()
						.schedule(() -> poll(containerId, handle, attempt + 1, result), delay, TimeUnit.MILLISECONDS);
				}
			});
	}

	/** The result once the command ended; on the first look, also whether there is such a command at all. */
	private Optional<CommandResult> check(String containerId, String handle, boolean firstLook) {
		ContainerPath directory = ContainerPath.of(JOBS + "/" + handle);
		if (this.files.stat(containerId, directory.child("exit")).isEmpty()) {
			if (firstLook && this.files.stat(containerId, directory).isEmpty()) {
				throw unknown(containerId, handle);
			}
			return Optional.empty();
		}
		Map<String, byte[]> state = this.files.readSmallDirectory(containerId, directory)
			.orElseThrow(() -> unknown(containerId, handle));
		int exitCode = Integer.parseInt(text(state, "exit").strip());
		long durationMs = uptimeMillis(text(state, "ended")) - uptimeMillis(text(state, "started"));
		return Optional.of(new CommandResult(text(state, "stdout"), text(state, "stderr"), exitCode,
				Math.max(durationMs, 0), false, null));
	}

	private static String text(Map<String, byte[]> state, String name) {
		byte[] bytes = state.get(name);
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : "";
	}

	/** {@code /proc/uptime} seconds (two decimals) as millis, so durations hold across clients. */
	private static long uptimeMillis(String uptime) {
		try {
			return new BigDecimal(uptime.strip()).movePointRight(3).longValue();
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static NotFoundException unknown(String containerId, String handle) {
		return new NotFoundException(EngineErrors.PROVIDER,
				"No background command with handle '" + handle + "' in " + ContainerExec.subject(containerId));
	}

}
