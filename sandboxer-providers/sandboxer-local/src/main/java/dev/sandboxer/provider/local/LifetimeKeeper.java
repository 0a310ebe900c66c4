package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.model.SandboxStatus;
import org.jspecify.annotations.Nullable;

/**
 * The container's main process, which ends the sandbox at its deadline, and the way to move that deadline.
 * <p>
 * <b>The keeper.</b> A small POSIX {@code sh} loop (dash and BusyBox ash alike) runs under Docker's init. It starts
 * from its argument, the lifetime in seconds (or {@code infinity}), then sleeps until the deadline and exits, so the
 * Engine removes the auto-removed container with no help from this JVM. Before each sleep it reads the deadline file
 * ({@value #DEADLINE_FILE}): a line of epoch seconds there replaces its deadline, for shorter or longer. It never
 * wakes on its own before the deadline, so a sandbox costs no CPU while it waits, with or without a timeout.
 * <p>
 * <b>Moving the deadline</b> writes the file through the archive endpoint (no process is started), then has the
 * Engine send {@value #WAKE_SIGNAL} to the container; Docker's init passes it to the keeper, which stops its sleep
 * and reads the file again. The change is in force once the call returns, with no polling by anyone. The signal
 * only wakes the keeper; the file is what counts. Were a wake-up lost (the signal call failing after the write), the
 * keeper would still read the file at the old deadline: a later deadline then holds, and a sooner one ends the
 * sandbox at the old deadline instead. A signal before the sleep starts skips the wait, one during it interrupts the
 * wait, and a line without its newline (a write in progress) is ignored.
 * <p>
 * <b>Paused sandboxes.</b> Docker unpauses a container to signal it when the signal is the container's stop signal
 * or none is configured (observed on Engine 20.10), so containers are made with {@value #STOP_SIGNAL} as their stop
 * signal: the wake-up then waits in the frozen keeper and takes effect on resume, ending the sandbox at once if the
 * new deadline passed meanwhile, just as an old one would.
 * <p>
 * <b>Clocks.</b> The file holds a time on this JVM's clock and the keeper compares it with the Engine host's
 * ({@code date +%s}). On the same machine they agree; an Engine on another machine ends the sandbox off by the
 * difference of the two clocks. The first lifetime, given as seconds, does not depend on clocks.
 * <p>
 * <b>What it needs and allows.</b> The image needs {@code sh}, {@code sleep} and {@code date} (BusyBox, GNU
 * coreutils and Alpine have them). Without a working {@code date} the keeper falls back to a plain {@code sleep}
 * of the first lifetime: it still ends the sandbox then, but the deadline can no longer move. The file is root's,
 * mode 0644, so only root inside the sandbox can edit it; such a process can also move its own deadline (or kill the
 * keeper, which ends the sandbox).
 */
final class LifetimeKeeper {

	static final String DEADLINE_FILE = "/run/sandboxer/deadline";

	static final String WAKE_SIGNAL = "SIGUSR1";

	static final String STOP_SIGNAL = "SIGTERM";

	/** The name the keeper's shell gets as {@code $0}, seen in process listings. */
	private static final String NAME = "sandboxer-lifetime";

	/**
	 * The latest deadline a sandbox can have: its name and the file keep four-digit years. 9999-12-31T23:59:59Z,
	 * given in seconds because parsing it would set up java.time's formatters on a fresh JVM's first create.
	 */
	private static final Instant LATEST = Instant.ofEpochSecond(253_402_300_799L);

	private static final TarUpload.Owner ROOT = new TarUpload.Owner(0, 0);

	/**
	 * $1 the first lifetime in seconds or {@code infinity}, $2 the deadline file. {@code w} is set by the wake-up
	 * signal; when it came before the wait, or interrupted it, the sleep is stopped and reaped. A sleep that ended by
	 * itself was reaped by {@code wait}, so its pid is never signalled after it could have been reused.
	 */
	private static final String SCRIPT = """
			f=$2 w= end=
			trap 'w=1' USR1
			n=$(date +%s)
			case $n in ''|*[!0-9]*) trap '' USR1; exec sleep "$1";; esac
			[ "$1" = infinity ] || end=$((n + $1))
			while :; do
			  w=
			  if [ -r "$f" ] && read -r d _ <"$f"; then
			    case $d in ''|*[!0-9]*) ;; *) end=$d;; esac
			  fi
			  t=infinity
			  if [ -n "$end" ]; then
			    n=$(date +%s)
			    case $n in ''|*[!0-9]*) t=1;; *) t=$((end - n)); [ "$t" -gt 0 ] || exit 0;; esac
			  fi
			  sleep "$t" & s=$!
			  r=1; [ -n "$w" ] || { wait "$s"; r=$?; }
			  [ -z "$w" ] || [ "$r" -eq 0 ] || { kill "$s" 2>/dev/null; wait "$s"; }
			done
			""";

	static final List<String> ENTRYPOINT = List.of("sh", "-c", SCRIPT, NAME);

	private final ContainerFiles files;

	LifetimeKeeper(ContainerFiles files) {
		this.files = files;
	}

	/** The keeper's arguments for a new sandbox. */
	static List<String> command(@Nullable Duration timeout) {
		return List.of(lifetime(timeout), DEADLINE_FILE);
	}

	/** The first lifetime: whole seconds, rounded up, or forever; no later than {@link #LATEST}. */
	static String lifetime(@Nullable Duration timeout) {
		if (timeout == null) {
			return "infinity";
		}
		Instant now = Instant.now();
		Duration bounded = Duration.between(now, deadline(now, timeout));
		long seconds = bounded.getSeconds() + ((bounded.getNano() > 0) ? 1 : 0);
		return Long.toString(Math.max(1, seconds));
	}

	/** {@code timeout} from now, kept within what a name and the file can hold. */
	static Instant deadline(Instant now, Duration timeout) {
		return (timeout.compareTo(Duration.between(now, LATEST)) >= 0) ? LATEST : now.plus(timeout);
	}

	/**
	 * Makes the sandbox end at {@code deadline}: writes the file, wakes the keeper, then renames the container so
	 * that {@code info} and {@code list} report the new deadline (see {@link DeadlineName}). A blocking call for
	 * engine threads.
	 * @throws NotFoundException when the sandbox stopped or is gone
	 * @throws NotSupportedException when the sandbox was made before its deadline could move
	 */
	void moveDeadline(DockerClient client, InspectContainerResponse container, Instant deadline) {
		String id = container.getId();
		SandboxStatus status = SandboxInfoReader.statusOf(container.getState());
		if (status != SandboxStatus.RUNNING && status != SandboxStatus.PAUSED) {
			throw new NotFoundException(EngineErrors.PROVIDER, "Sandbox " + LocalSandbox.shortId(id) + " is "
					+ status.value() + " and about to be removed");
		}
		String file = SandboxLabels.deadlineFile(container.getConfig().getLabels());
		if (file == null) {
			throw new NotSupportedException(EngineErrors.PROVIDER, "setTimeout", "Sandbox " + LocalSandbox.shortId(id)
					+ " was made by an older Sandboxer whose main process cannot change its deadline; it still ends "
					+ "at the timeout it was created with");
		}
		byte[] line = (epochSecondRoundedUp(deadline) + "\n").getBytes(StandardCharsets.US_ASCII);
		this.files.write(id, ContainerPath.of(file), new ByteArrayInputStream(line), line.length, 0644, ROOT);
		client.killContainerCmd(id).withSignal(WAKE_SIGNAL).exec();
		String name = DeadlineName.of(id, deadline);
		if (!name.equals(stripSlash(container.getName()))) {
			client.renameContainerCmd(id).withName(name).exec();
		}
	}

	/** The keeper counts whole seconds; rounding up never ends a sandbox before the time it was given. */
	static long epochSecondRoundedUp(Instant deadline) {
		return deadline.getEpochSecond() + ((deadline.getNano() > 0) ? 1 : 0);
	}

	private static @Nullable String stripSlash(@Nullable String name) {
		return (name != null && name.startsWith("/")) ? name.substring(1) : name;
	}

}
