package dev.sandboxer.provider.fly;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import reactor.core.publisher.Mono;

/**
 * Makes Fly end a sandbox on time, even when no JVM is left to ask. Fly has no "destroy at" setting, so the
 * machine's main process is a small keeper script ({@code init.exec} replaces the image's command) that sleeps
 * until a deadline and exits; the machine is created with {@code restart: {policy: "no"}} and
 * {@code auto_destroy: true}, so when the keeper exits, Fly stops the machine and destroys it.
 * <p>
 * The deadline lives in the machine ({@value #DEADLINE_FILE}, Unix seconds) and, for {@code info()}, in its
 * metadata. {@code setTimeout} rewrites the file and wakes the keeper (SIGUSR1), so a shorter deadline takes effect
 * at once. A suspended machine's clock does not run: a deadline that passed while it was paused ends it right after
 * it resumes.
 */
final class Lifetime {

	static final String DEADLINE_FILE = "/tmp/.sandboxer/deadline";

	/**
	 * The keeper. $1 the first deadline (Unix seconds). A TERM (Fly's stop) ends it at once; USR1 makes it read the
	 * deadline again. It never sleeps more than a minute, so a clock that jumped (after a resume) is noticed soon.
	 */
	static final String KEEPER = """
			k=/tmp/.sandboxer; f=$k/deadline
			mkdir -p "$k"; [ -s "$f" ] || echo "$1" >"$f"
			echo $$ >"$k/keeper.pid"
			trap 'exit 0' TERM INT
			trap ':' USR1
			while :; do
			  d=$(cat "$f" 2>/dev/null); [ -n "$d" ] || d=$1
			  now=$(date +%s)
			  [ "$now" -ge "$d" ] && exit 0
			  l=$((d - now)); [ "$l" -gt 60 ] && l=60
			  sleep "$l" & s=$!
			  wait "$s" || kill "$s" 2>/dev/null
			done
			""";

	/** $1 the new deadline. Exit 3: there is no keeper (the machine was not made by this library). */
	private static final String MOVE = """
			k=/tmp/.sandboxer
			p=$(cat "$k/keeper.pid" 2>/dev/null) || exit 3
			kill -0 "$p" 2>/dev/null || exit 3
			echo "$1" >"$k/deadline.tmp" && mv -f "$k/deadline.tmp" "$k/deadline" || exit 1
			kill -USR1 "$p" 2>/dev/null
			exit 0
			""";

	private final MachinesApi api;

	private final GuestExec exec;

	private final Duration callTimeout;

	Lifetime(MachinesApi api, GuestExec exec, Duration callTimeout) {
		this.api = api;
		this.exec = exec;
		this.callTimeout = callTimeout;
	}

	/** The argv of a new machine's main process. */
	static List<String> keeperCommand(Instant deadline) {
		return List.of("/bin/sh", "-c", KEEPER, "sandboxer-keeper", Long.toString(deadline.getEpochSecond()));
	}

	/** The deadline {@code timeout} from now, in whole seconds, rounded up. */
	static Instant deadline(Duration timeout) {
		return Instant.now().plusSeconds(GuestExec.seconds(timeout));
	}

	Mono<Void> move(String machineId, Duration timeout) {
		Instant deadline = deadline(timeout);
		String seconds = Long.toString(deadline.getEpochSecond());
		return this.exec.run(machineId, MOVE, List.of(seconds), null, null, this.callTimeout, "setTimeout")
			.flatMap((outcome) -> switch (outcome.exitCode()) {
				case 0 -> this.api.setMetadata(machineId, MachineStates.EXPIRES_AT, seconds, "setTimeout");
				case 3 -> Mono.error(new NotSupportedException(FlySettings.PROVIDER, "setTimeout",
						"machine " + machineId + " has no Sandboxer lifetime keeper (it was not created by this "
								+ "library), and Fly has no setting that ends a machine at a given time; stop or "
								+ "destroy it yourself"));
				default -> Mono.error(new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER
						+ " setTimeout: could not write the deadline in machine " + machineId + " (exit "
						+ outcome.exitCode() + "): " + outcome.stderr().strip()));
			});
	}

}
