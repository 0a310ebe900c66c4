package dev.sandboxer.provider.runloop;

import java.time.Duration;
import java.time.Instant;

import dev.sandboxer.provider.runloop.RunloopJson.LaunchParameters;
import org.jspecify.annotations.Nullable;

/**
 * When Runloop itself ends a devbox, and how far {@code setTimeout} can move that.
 * <p>
 * What the spec (api-client-python ae5ffd5f) gives: {@code launch_parameters.keep_alive_time_seconds} is the "time
 * in seconds after which Devbox will automatically shutdown", 1 h when not set, at most 48 h, fixed at create: no
 * call changes it ({@code POST /v1/devboxes/{id}} takes only {@code metadata} and {@code name}). {@code keep_alive}
 * "extends the devbox timeout, preventing automatic shutdown" ({@code sdk/devbox.py}), which this provider reads as
 * starting that countdown again (a devbox that runs out is shut down with reason {@code keep_alive_timeout}). A devbox
 * with an idle policy ({@code after_idle}, or {@code lifecycle.after_idle}) ignores the keep-alive time and ends only
 * after being idle, so it has no deadline to report or move.
 * <p>
 * So {@code setTimeout} can set exactly one deadline, "now plus the create-time keep-alive time", and nothing else:
 * neither a shorter one (Runloop would keep the devbox longer than asked) nor a longer one (only a client calling
 * again in time could give that, and the deadline must hold when this JVM is gone).
 */
final class DevboxLifetime {

	/** Runloop's keep-alive time when a create sets none. */
	static final long DEFAULT_KEEP_ALIVE_SECONDS = 3600;

	private DevboxLifetime() {
	}

	/** The keep-alive time the devbox counts down, or null when an idle policy replaces it. */
	static @Nullable Long keepAliveSeconds(@Nullable LaunchParameters launch) {
		if (launch == null) {
			return DEFAULT_KEEP_ALIVE_SECONDS;
		}
		if (launch.endsOnIdle()) {
			return null;
		}
		return (launch.keepAliveTimeSeconds() != null) ? launch.keepAliveTimeSeconds() : DEFAULT_KEEP_ALIVE_SECONDS;
	}

	/**
	 * The deadline of a devbox whose countdown started at {@code from} (its create time, or the last renewal this
	 * library recorded); null when it ends on idle instead.
	 */
	static @Nullable Instant expiresAt(@Nullable LaunchParameters launch, Instant from) {
		Long seconds = keepAliveSeconds(launch);
		return (seconds != null) ? from.plusSeconds(seconds) : null;
	}

	/** Whole seconds, rounding up, as every provider counts a timeout. */
	static long seconds(Duration timeout) {
		return timeout.getSeconds() + ((timeout.getNano() > 0) ? 1 : 0);
	}

	/**
	 * Why {@code setTimeout} of {@code seconds} cannot be done on this devbox, or null when it can (a renewal of the
	 * keep-alive time of that very length).
	 */
	static @Nullable String whyNot(@Nullable LaunchParameters launch, long seconds) {
		Long keepAlive = keepAliveSeconds(launch);
		if (keepAlive == null) {
			return "this devbox was created with an idle policy (after_idle), so Runloop ends it after it is idle, not "
					+ "at a deadline, and keep_alive only resets its idle time; create the sandbox with a timeout "
					+ "instead";
		}
		if (keepAlive != seconds) {
			return "Runloop fixes a devbox's keep-alive time at create (" + keepAlive + " s for this one) and can only "
					+ "start that countdown again, so setTimeout accepts exactly " + keepAlive
					+ " s here; create the sandbox with the timeout you need";
		}
		return null;
	}

}
