package dev.sandboxer.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * What to create. Every field is optional; {@code CreateSandboxRequest.builder().build()} asks for the provider's
 * default template.
 *
 * @param template image, template or blueprint; the provider's default when {@code null}
 * @param timeout how long the sandbox may live; every provider enforces it, even if this JVM dies
 * @param metadata labels to attach, readable back in {@link SandboxInfo#metadata()} and usable as a list filter
 * @param envs environment variables for every process in the sandbox
 * @param cpus virtual CPUs
 * @param memoryMb memory in MiB
 * @param ports ports inside the sandbox to make reachable, so that {@code portUrl} works for them
 * @param options provider-specific settings (for example E2B's {@code autoPause}); a provider rejects keys it does
 * not know
 */
public record CreateSandboxRequest(@Nullable String template, @Nullable Duration timeout, Map<String, String> metadata,
		Map<String, String> envs, @Nullable Integer cpus, @Nullable Integer memoryMb, Set<Integer> ports,
		Map<String, String> options) {

	public CreateSandboxRequest {
		metadata = Map.copyOf(metadata);
		envs = Requests.requireEnvironment(envs);
		ports = Set.copyOf(ports);
		options = Map.copyOf(options);
		Requests.requirePositive(timeout, "timeout");
		Requests.requirePositive(cpus, "cpus");
		Requests.requirePositive(memoryMb, "memoryMb");
		for (Integer port : ports) {
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("A port is between 1 and 65535, got " + port);
			}
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	/** The requested ports in ascending order. */
	public List<Integer> sortedPorts() {
		return List.copyOf(new TreeSet<>(this.ports));
	}

	/** Builds a {@link CreateSandboxRequest}. */
	public static final class Builder {

		private @Nullable String template;

		private @Nullable Duration timeout;

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private final Map<String, String> envs = new LinkedHashMap<>();

		private @Nullable Integer cpus;

		private @Nullable Integer memoryMb;

		private final Set<Integer> ports = new TreeSet<>();

		private final Map<String, String> options = new LinkedHashMap<>();

		private Builder() {
		}

		public Builder template(@Nullable String template) {
			this.template = template;
			return this;
		}

		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder metadata(String key, String value) {
			this.metadata.put(key, value);
			return this;
		}

		public Builder metadata(Map<String, String> metadata) {
			this.metadata.putAll(metadata);
			return this;
		}

		public Builder env(String name, String value) {
			this.envs.put(name, value);
			return this;
		}

		public Builder envs(Map<String, String> envs) {
			this.envs.putAll(envs);
			return this;
		}

		public Builder cpus(@Nullable Integer cpus) {
			this.cpus = cpus;
			return this;
		}

		public Builder memoryMb(@Nullable Integer memoryMb) {
			this.memoryMb = memoryMb;
			return this;
		}

		public Builder port(int port) {
			this.ports.add(port);
			return this;
		}

		public Builder ports(int... ports) {
			for (int port : ports) {
				this.ports.add(port);
			}
			return this;
		}

		public Builder option(String key, String value) {
			this.options.put(key, value);
			return this;
		}

		public CreateSandboxRequest build() {
			return new CreateSandboxRequest(this.template, this.timeout, this.metadata, this.envs, this.cpus,
					this.memoryMb, this.ports, this.options);
		}

	}

}
