package dev.sandboxer.provider.daytona;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Daytona {@code Sandbox} as a {@link SandboxInfo}.
 * <p>
 * Status: {@code started} is running; the ways up ({@code creating}, {@code starting}, {@code pending_build},
 * {@code restoring}, {@code resuming}...) are starting; {@code stopped}, {@code archived}, {@code paused} and the
 * ways there are paused, because {@code resume} ({@code POST /start}) brings each of them back with its files;
 * {@code destroyed} and {@code destroying} are stopped; {@code error}, {@code build_failed} and anything unknown are
 * errors.
 * <p>
 * Deadline: Daytona has no fixed end of life. A running sandbox stops once it has been idle for
 * {@code autoStopInterval} minutes, so {@code expiresAt} is {@code lastActivityAt} plus that interval; a stopped one
 * is deleted {@code autoDeleteInterval} minutes after it stopped, so {@code expiresAt} is {@code updatedAt} plus that.
 * Without an interval there is no deadline.
 */
final class SandboxStates {

	private SandboxStates() {
	}

	static SandboxStatus status(@Nullable String state) {
		if (state == null) {
			return SandboxStatus.ERROR;
		}
		return switch (state.toLowerCase(Locale.ROOT)) {
			case "started" -> SandboxStatus.RUNNING;
			case "creating", "starting", "restoring", "resuming", "pending_build", "building_snapshot",
					"pulling_snapshot", "resizing", "snapshotting", "forking" ->
				SandboxStatus.STARTING;
			case "stopped", "stopping", "archived", "archiving", "paused", "pausing" -> SandboxStatus.PAUSED;
			case "destroyed", "destroying" -> SandboxStatus.STOPPED;
			default -> SandboxStatus.ERROR;
		};
	}

	static SandboxInfo info(ApiJson.Sandbox sandbox) {
		SandboxStatus status = status(sandbox.state());
		Instant created = instant(sandbox.createdAt());
		Integer memoryMb = (sandbox.memory() != null) ? (int) Math.round(sandbox.memory() * 1024) : null;
		Integer cpus = (sandbox.cpu() != null) ? (int) Math.round(sandbox.cpu()) : null;
		Map<String, String> labels = (sandbox.labels() != null) ? sandbox.labels() : Map.of();
		return new SandboxInfo(sandbox.id(), DaytonaSettings.NAME, sandbox.snapshot(), status,
				(created != null) ? created : Instant.now(), expiresAt(sandbox, status), labels, cpus, memoryMb);
	}

	private static @Nullable Instant expiresAt(ApiJson.Sandbox sandbox, SandboxStatus status) {
		if (status == SandboxStatus.RUNNING || status == SandboxStatus.STARTING) {
			Double autoStop = sandbox.autoStopInterval();
			Instant since = first(instant(sandbox.lastActivityAt()), instant(sandbox.updatedAt()),
					instant(sandbox.createdAt()));
			if (autoStop != null && autoStop > 0 && since != null) {
				return since.plus(minutes(autoStop));
			}
			return null;
		}
		if (status == SandboxStatus.PAUSED) {
			Double autoDelete = sandbox.autoDeleteInterval();
			Instant since = first(instant(sandbox.updatedAt()), instant(sandbox.lastActivityAt()), null);
			if (autoDelete != null && autoDelete >= 0 && since != null) {
				return since.plus(minutes(autoDelete));
			}
		}
		return null;
	}

	private static Duration minutes(double minutes) {
		return Duration.ofSeconds(Math.round(minutes * 60));
	}

	private static @Nullable Instant first(@Nullable Instant a, @Nullable Instant b, @Nullable Instant c) {
		return (a != null) ? a : (b != null) ? b : c;
	}

	static @Nullable Instant instant(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			// The API documents ISO-8601; a value it cannot be read as is treated as unknown, not as a failure.
			return null;
		}
	}

}
