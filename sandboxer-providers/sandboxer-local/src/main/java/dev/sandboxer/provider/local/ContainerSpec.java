package dev.sandboxer.provider.local;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.sandboxer.model.CreateSandboxRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a new sandbox's container is made with, worked out once from the request so that both ways of making it
 * (docker-java's command and {@link CreateContainerJson} on the fast path) send the Engine the same container.
 *
 * @param image the image reference
 * @param labels the sandbox's labels ({@link SandboxLabels#forCreate})
 * @param env {@code NAME=value} entries
 * @param entrypoint the {@link LifetimeKeeper}'s entrypoint
 * @param cmd the keeper's arguments
 * @param stopSignal the container's stop signal
 * @param ports the container's TCP ports to publish, sorted
 * @param nanoCpus the CPU limit in billionths of a CPU, or {@code null} for none
 * @param memoryBytes the memory limit (also the memory + swap limit, so no swap), or {@code null} for none
 * @param portBindAddress the host address published ports are bound to (the Engine picks the host port)
 */
record ContainerSpec(String image, Map<String, String> labels, List<String> env, List<String> entrypoint,
		List<String> cmd, String stopSignal, List<Integer> ports, @Nullable Long nanoCpus, @Nullable Long memoryBytes,
		String portBindAddress) {

	static ContainerSpec of(String image, CreateSandboxRequest request, @Nullable Instant expiresAt,
			String portBindAddress) {
		return new ContainerSpec(image, SandboxLabels.forCreate(request, expiresAt),
				ContainerExec.dockerEnvironment(request.envs()), LifetimeKeeper.ENTRYPOINT,
				LifetimeKeeper.command(request.timeout()), LifetimeKeeper.STOP_SIGNAL, request.sortedPorts(),
				(request.cpus() != null) ? request.cpus() * 1_000_000_000L : null,
				(request.memoryMb() != null) ? request.memoryMb() * 1024L * 1024L : null, portBindAddress);
	}

}
