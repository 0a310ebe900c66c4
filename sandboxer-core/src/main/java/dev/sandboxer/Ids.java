package dev.sandboxer;

import java.time.Duration;

/** The argument checks every face makes before a call leaves the JVM. */
final class Ids {

	private Ids() {
	}

	static void requireId(String sandboxId) {
		if (sandboxId == null || sandboxId.isBlank()) {
			throw new IllegalArgumentException("A sandbox id is required");
		}
	}

	/** A path may hold any character but NUL, which no file system accepts and which would cut it short. */
	static void requirePath(String path) {
		if (path == null || path.isEmpty()) {
			throw new IllegalArgumentException("A path is required");
		}
		if (path.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("A path cannot contain a NUL character");
		}
	}

	static void requirePid(int pid) {
		if (pid <= 0) {
			throw new IllegalArgumentException("A pid is positive, got " + pid);
		}
	}

	static void requireGracePeriod(Duration gracePeriod) {
		if (gracePeriod == null || gracePeriod.isNegative()) {
			throw new IllegalArgumentException("A grace period is zero or positive, got " + gracePeriod);
		}
	}

	static void requirePort(int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("A port is between 1 and 65535, got " + port);
		}
	}

	static void requireTimeout(Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A sandbox timeout is positive, got " + timeout);
		}
	}

	static void requireSize(int rows, int cols) {
		if (rows <= 0 || cols <= 0) {
			throw new IllegalArgumentException("A terminal size is positive, got " + rows + "x" + cols);
		}
	}

}
