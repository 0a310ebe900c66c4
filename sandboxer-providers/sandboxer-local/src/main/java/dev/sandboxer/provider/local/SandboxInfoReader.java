package dev.sandboxer.provider.local;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.Container;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import org.jspecify.annotations.Nullable;

/** Reads a {@link SandboxInfo} out of what the Engine says about a container: a list entry or an inspect answer. */
final class SandboxInfoReader {

	/** What Go writes for a time that never happened (a container never started). */
	private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

	private SandboxInfoReader() {
	}

	/** From one entry of the list answer: all {@code list} needs is there, so no container is inspected. */
	static SandboxInfo fromListEntry(Container container) {
		Map<String, String> labels = container.getLabels();
		Long created = container.getCreated();
		return new SandboxInfo(container.getId(), ProviderName.LOCAL, container.getImage(),
				statusOf(container.getState()), (created != null) ? Instant.ofEpochSecond(created) : Instant.EPOCH,
				expiresAt(DeadlineName.read(container.getNames(), container.getId()), labels),
				SandboxLabels.metadata(labels),
				SandboxLabels.number(labels, SandboxLabels.CPUS), SandboxLabels.number(labels, SandboxLabels.MEMORY_MB));
	}

	static SandboxInfo fromInspect(InspectContainerResponse container) {
		Map<String, String> labels = (container.getConfig() != null) ? container.getConfig().getLabels() : null;
		String image = (container.getConfig() != null) ? container.getConfig().getImage() : null;
		ContainerState state = container.getState();
		Instant started = instant((state != null) ? state.getStartedAt() : null);
		if (started == null) {
			started = instant(container.getCreated());
		}
		return new SandboxInfo(container.getId(), ProviderName.LOCAL, image, statusOf(state),
				(started != null) ? started : Instant.EPOCH,
				expiresAt(DeadlineName.read(container.getName(), container.getId()), labels),
				SandboxLabels.metadata(labels), SandboxLabels.number(labels, SandboxLabels.CPUS),
				SandboxLabels.number(labels, SandboxLabels.MEMORY_MB));
	}

	/** A deadline moved since creation, else the one the sandbox was created with. */
	private static @Nullable Instant expiresAt(@Nullable Instant moved, @Nullable Map<String, String> labels) {
		return (moved != null) ? moved : SandboxLabels.expiresAt(labels);
	}

	/**
	 * The status of an inspected container. Docker reports a paused container as running and paused at once, so
	 * paused is checked first: a paused sandbox is {@link SandboxStatus#PAUSED}, never running.
	 */
	static SandboxStatus statusOf(@Nullable ContainerState state) {
		if (state == null) {
			return SandboxStatus.ERROR;
		}
		if (Boolean.TRUE.equals(state.getPaused())) {
			return SandboxStatus.PAUSED;
		}
		if (Boolean.TRUE.equals(state.getRunning())) {
			return SandboxStatus.RUNNING;
		}
		if (Boolean.TRUE.equals(state.getRestarting())) {
			return SandboxStatus.STARTING;
		}
		SandboxStatus byName = statusOf(state.getStatus());
		if (byName == SandboxStatus.STOPPED && (Boolean.TRUE.equals(state.getOOMKilled())
				|| (state.getExitCodeLong() != null && state.getExitCodeLong() != 0))) {
			return SandboxStatus.ERROR;
		}
		return byName;
	}

	/** The status named by the Engine's {@code State} word, as the list answer gives it. */
	static SandboxStatus statusOf(@Nullable String state) {
		if (state == null) {
			return SandboxStatus.ERROR;
		}
		return switch (state.toLowerCase(Locale.ROOT)) {
			case "running" -> SandboxStatus.RUNNING;
			case "paused" -> SandboxStatus.PAUSED;
			case "created", "restarting" -> SandboxStatus.STARTING;
			case "exited", "removing" -> SandboxStatus.STOPPED;
			default -> SandboxStatus.ERROR;
		};
	}

	private static @Nullable Instant instant(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			Instant instant = Instant.parse(value);
			return instant.equals(GO_ZERO_TIME) ? null : instant;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
