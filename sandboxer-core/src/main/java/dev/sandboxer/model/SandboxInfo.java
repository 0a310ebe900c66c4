package dev.sandboxer.model;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a provider knows about one sandbox.
 *
 * @param id the provider's id for the sandbox
 * @param provider the provider type
 * @param template the image, template or blueprint it was made from, if known
 * @param status where it is in its life
 * @param startedAt when it started (or was created, when the provider does not say)
 * @param expiresAt when the provider will end it by itself, if it has a lifetime
 * @param metadata the user's labels, as given at create time
 * @param cpus virtual CPUs, if known
 * @param memoryMb memory in MiB, if known
 */
public record SandboxInfo(String id, ProviderName provider, @Nullable String template, SandboxStatus status,
		Instant startedAt, @Nullable Instant expiresAt, Map<String, String> metadata, @Nullable Integer cpus,
		@Nullable Integer memoryMb) {

	public SandboxInfo {
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	public boolean isRunning() {
		return this.status == SandboxStatus.RUNNING;
	}

}
