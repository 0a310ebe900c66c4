package dev.sandboxer.provider.blaxel;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import org.jspecify.annotations.Nullable;

/**
 * Turns a control-plane {@code Sandbox} into a {@link SandboxInfo}.
 * <ul>
 * <li>Status: {@code DEPLOYED} is running, or paused while {@code state} is {@code STANDBY} (Blaxel parks an idle
 * sandbox in standby and wakes it on the next call); {@code UPLOADING}, {@code BUILDING}, {@code BUILT} and
 * {@code DEPLOYING} are starting; {@code FAILED} is an error; {@code DEACTIVATING}, {@code DEACTIVATED},
 * {@code TERMINATING}, {@code DELETING} and {@code TERMINATED} are stopped. With no known status, {@code state}
 * decides, else starting.</li>
 * <li>The deadline is the earliest of {@code spec.runtime.expires} and {@code metadata.createdAt} +
 * {@code spec.runtime.ttl}; without either, now + {@code expiresIn} when the API sends it.</li>
 * <li>CPUs are memory / 2048 (the API's own rule), given only when that is a whole number.</li>
 * </ul>
 */
final class SandboxInfos {

	private static final Pattern TTL = Pattern.compile("(\\d+)([smhdw])");

	private SandboxInfos() {
	}

	static SandboxInfo of(BlaxelJson.Sandbox sandbox, String fallbackName) {
		BlaxelJson.Metadata metadata = sandbox.metadata();
		BlaxelJson.Runtime runtime = (sandbox.spec() != null) ? sandbox.spec().runtime() : null;
		String name = (metadata != null && metadata.name() != null) ? metadata.name() : fallbackName;
		Instant created = (metadata != null) ? instant(metadata.createdAt()) : null;
		Integer memory = (runtime != null) ? runtime.memory() : null;
		Integer cpus = (memory != null && memory > 0 && memory % 2048 == 0) ? memory / 2048 : null;
		Map<String, String> labels = (metadata != null && metadata.labels() != null) ? metadata.labels() : Map.of();
		return new SandboxInfo(name, BlaxelProviderFactory.NAME, (runtime != null) ? runtime.image() : null,
				status(sandbox.status(), sandbox.state()), (created != null) ? created : Instant.now(),
				expiresAt(runtime, created, sandbox.expiresIn()), labels, cpus, memory);
	}

	static SandboxStatus status(@Nullable String status, @Nullable String state) {
		String upper = (status != null) ? status.toUpperCase(Locale.ROOT) : "";
		boolean standby = "STANDBY".equalsIgnoreCase(state);
		return switch (upper) {
			case "DEPLOYED" -> standby ? SandboxStatus.PAUSED : SandboxStatus.RUNNING;
			case "UPLOADING", "BUILDING", "BUILT", "DEPLOYING" -> SandboxStatus.STARTING;
			case "FAILED" -> SandboxStatus.ERROR;
			case "DEACTIVATING", "DEACTIVATED", "TERMINATING", "DELETING", "TERMINATED" -> SandboxStatus.STOPPED;
			default -> standby ? SandboxStatus.PAUSED
					: "RUNNING".equalsIgnoreCase(state) ? SandboxStatus.RUNNING : SandboxStatus.STARTING;
		};
	}

	static @Nullable Instant expiresAt(BlaxelJson.@Nullable Runtime runtime, @Nullable Instant created,
			@Nullable Double expiresIn) {
		Instant byDate = (runtime != null) ? instant(runtime.expires()) : null;
		Duration ttl = (runtime != null) ? ttl(runtime.ttl()) : null;
		Instant byAge = (ttl != null && created != null) ? created.plus(ttl) : null;
		if (byDate != null && byAge != null) {
			return byDate.isBefore(byAge) ? byDate : byAge;
		}
		if (byDate != null || byAge != null) {
			return (byDate != null) ? byDate : byAge;
		}
		return (expiresIn != null && expiresIn >= 0) ? Instant.now().plusMillis((long) (expiresIn * 1000)) : null;
	}

	/** A TTL as the API writes it ({@code 300s}, {@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}). */
	static @Nullable Duration ttl(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = TTL.matcher(text.strip());
		if (!matcher.matches()) {
			return null;
		}
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			case "d" -> Duration.ofDays(amount);
			default -> Duration.ofDays(amount * 7);
		};
	}

	/** A lifetime as the API's TTL text: whole seconds, rounded up so a sandbox never ends early. */
	static String ttlText(Duration lifetime) {
		long seconds = lifetime.getSeconds() + ((lifetime.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds) + "s";
	}

	private static @Nullable Instant instant(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return java.time.OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
