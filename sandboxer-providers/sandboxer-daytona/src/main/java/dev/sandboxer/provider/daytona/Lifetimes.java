package dev.sandboxer.provider.daytona;

import java.time.Duration;

/** Daytona counts its intervals in whole minutes; a lifetime is rounded up so that it is never cut short. */
final class Lifetimes {

	/** The largest interval sent: about 68 years, far below where the API's number would lose precision. */
	private static final long MAX_MINUTES = Integer.MAX_VALUE / 60;

	private Lifetimes() {
	}

	static long minutes(Duration lifetime) {
		long seconds = Math.min(lifetime.getSeconds(), MAX_MINUTES * 60) + ((lifetime.getNano() > 0) ? 1 : 0);
		long minutes = Math.max(1, (seconds + 59) / 60);
		return Math.min(minutes, MAX_MINUTES);
	}

}
