package dev.sandboxer.provider.fly;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.fly.MachineJson.Guest;
import dev.sandboxer.provider.fly.MachineJson.Machine;
import dev.sandboxer.provider.fly.MachineJson.MachineConfig;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code Machine} as a {@link SandboxInfo}. Fly's states map honestly (the reference SDKs called a suspended
 * or destroyed machine "running", D-F2): {@code created}, {@code starting} and {@code replacing} are starting;
 * {@code started} is running; {@code suspending} and {@code suspended} are paused; {@code stopping},
 * {@code stopped} and {@code destroying} are stopped; {@code destroyed} is gone ({@link NotFoundException}); any
 * other state ({@code failed}, or one Fly adds later) is an error, not a guess.
 * <p>
 * The metadata keys this package writes ({@value #MANAGED}, {@value #EXPIRES_AT}, {@value #REQUEST}) are its own
 * bookkeeping and are not shown among the user's metadata.
 */
final class MachineStates {

	/** Marks machines this library created; the list filters on it on Fly's side. */
	static final String MANAGED = "sandboxer_managed";

	/** The deadline as Unix seconds, read back as {@link SandboxInfo#expiresAt()}. */
	static final String EXPIRES_AT = "sandboxer_expires_at";

	/** The token of the create call that made the machine, to find it when the create's answer was lost. */
	static final String REQUEST = "sandboxer_request";

	static final String DESTROYED = "destroyed";

	private MachineStates() {
	}

	static SandboxStatus status(@Nullable String state) {
		if (state == null) {
			return SandboxStatus.ERROR;
		}
		return switch (state) {
			case "created", "starting", "replacing" -> SandboxStatus.STARTING;
			case "started" -> SandboxStatus.RUNNING;
			case "suspending", "suspended" -> SandboxStatus.PAUSED;
			case "stopping", "stopped", "destroying" -> SandboxStatus.STOPPED;
			default -> SandboxStatus.ERROR;
		};
	}

	static boolean isGone(Machine machine) {
		return DESTROYED.equals(machine.state());
	}

	/** The machine, unless it is destroyed: a destroyed machine is listed for a while but is no sandbox any more. */
	static Machine requireLive(Machine machine) {
		if (isGone(machine)) {
			throw new NotFoundException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + ": machine " + machine.id() + " is destroyed");
		}
		return machine;
	}

	static SandboxInfo info(Machine machine) {
		return info(machine, status(machine.state()));
	}

	static SandboxInfo info(Machine machine, SandboxStatus status) {
		MachineConfig config = machine.effectiveConfig();
		Map<String, String> all = (config != null && config.metadata() != null) ? config.metadata() : Map.of();
		Map<String, String> users = new LinkedHashMap<>();
		all.forEach((key, value) -> {
			if (!key.equals(MANAGED) && !key.equals(EXPIRES_AT) && !key.equals(REQUEST)) {
				users.put(key, value);
			}
		});
		Guest guest = (config != null) ? config.guest() : null;
		return new SandboxInfo(machine.id(), FlyProviderFactory.NAME, (config != null) ? config.image() : null,
				status, startedAt(machine.createdAt()), expiresAt(all.get(EXPIRES_AT)), users,
				(guest != null) ? guest.cpus() : null, (guest != null) ? guest.memoryMb() : null);
	}

	private static Instant startedAt(@Nullable String createdAt) {
		if (createdAt != null) {
			try {
				return OffsetDateTime.parse(createdAt).toInstant();
			}
			catch (DateTimeParseException ex) {
				// The spec types created_at as a plain string; an unexpected format is no reason to fail an info.
			}
		}
		return Instant.now();
	}

	private static @Nullable Instant expiresAt(@Nullable String seconds) {
		if (seconds == null) {
			return null;
		}
		try {
			return Instant.ofEpochSecond(Long.parseLong(seconds.strip()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
