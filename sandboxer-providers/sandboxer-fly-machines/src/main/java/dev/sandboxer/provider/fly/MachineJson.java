package dev.sandboxer.provider.fly;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The Machines API's JSON, as {@code api/machines/openapi.json} (superfly/docs 462dcb90) names its schemas:
 * {@code Machine}, {@code fly.MachineConfig} and its parts, {@code CreateMachineRequest},
 * {@code MachineExecRequest}, {@code flydv1.ExecResponse}, {@code ProcessStat}, {@code WaitMachineResponse},
 * {@code CreateLeaseRequest}, {@code Lease}. Only the fields this provider reads or sends are declared; absent
 * optional fields are {@code null} and left out of requests.
 */
final class MachineJson {

	private MachineJson() {
	}

	/** {@code Machine}. {@code config} is missing when the host is unreachable; {@code incomplete_config} stands in. */
	record Machine(String id, @Nullable String name, @Nullable String state, @Nullable String region,
			@JsonProperty("created_at") @Nullable String createdAt, @Nullable MachineConfig config,
			@JsonProperty("incomplete_config") @Nullable MachineConfig incompleteConfig,
			@JsonProperty("instance_id") @Nullable String instanceId, @Nullable String version,
			@Nullable String nonce) {

		@Nullable MachineConfig effectiveConfig() {
			return (this.config != null) ? this.config : this.incompleteConfig;
		}

	}

	/** {@code fly.MachineConfig}: what a machine runs and how it ends. */
	record MachineConfig(@Nullable String image, @Nullable Map<String, String> env,
			@Nullable Map<String, String> metadata, @Nullable Guest guest,
			@JsonProperty("auto_destroy") @Nullable Boolean autoDestroy, @Nullable Restart restart,
			@Nullable Init init, @Nullable List<Service> services,
			@JsonProperty("stop_config") @Nullable StopConfig stopConfig) {
	}

	/** {@code fly.MachineGuest}. */
	record Guest(@JsonProperty("cpu_kind") @Nullable String cpuKind, @Nullable Integer cpus,
			@JsonProperty("memory_mb") @Nullable Integer memoryMb) {
	}

	/** {@code fly.MachineRestart}: {@code no}, {@code always} or {@code on-failure}. */
	record Restart(String policy) {
	}

	/** {@code fly.MachineInit}: {@code exec} replaces the image's entrypoint and command. */
	record Init(@Nullable List<String> exec) {
	}

	/** {@code fly.StopConfig}: {@code timeout} is a Go duration ("10s"). */
	record StopConfig(@Nullable String signal, @Nullable String timeout) {
	}

	/**
	 * {@code fly.MachineService}. {@code autostop} is a string in requests but may come back as a boolean ("for
	 * backward compatibility"), so it is read as whatever JSON it is.
	 */
	record Service(@Nullable String protocol, @JsonProperty("internal_port") @Nullable Integer internalPort,
			@Nullable List<Port> ports, @Nullable Boolean autostart, @Nullable Object autostop) {
	}

	/** {@code fly.MachinePort}. */
	record Port(@Nullable Integer port, @Nullable List<String> handlers,
			@JsonProperty("force_https") @Nullable Boolean forceHttps) {
	}

	/** {@code CreateMachineRequest}; {@code region} absent lets Fly choose one near the caller. */
	record CreateMachine(MachineConfig config, @Nullable String region) {
	}

	/**
	 * {@code MachineExecRequest}: {@code command} is the argv ({@code cmd}, a string, is deprecated), {@code timeout}
	 * in seconds, {@code stdin} text.
	 */
	record ExecRequest(List<String> command, int timeout, @Nullable String stdin) {
	}

	/** {@code flydv1.ExecResponse}. fly-go leaves a zero {@code exit_code} out, so a missing one means 0. */
	record ExecAnswer(@JsonProperty("exit_code") @Nullable Integer exitCode,
			@JsonProperty("exit_signal") @Nullable Integer exitSignal, @Nullable String stdout,
			@Nullable String stderr) {
	}

	/** {@code ProcessStat}: one row of {@code GET .../ps}. */
	record ProcessStat(@Nullable Integer pid, @Nullable String command, @Nullable String directory) {
	}

	/** {@code WaitMachineResponse}. */
	record WaitAnswer(@Nullable Boolean ok, @Nullable String state) {
	}

	/** {@code CreateLeaseRequest}: {@code ttl} in seconds. */
	record CreateLease(String description, int ttl) {
	}

	/**
	 * A lease as the API answers it: fly-go and the docs' examples wrap it ({@code {"status":"success","data":
	 * {"nonce": ...}}}), the OpenAPI's {@code Lease} is flat; both are read.
	 */
	record LeaseAnswer(@Nullable String status, @Nullable LeaseData data, @Nullable String nonce,
			@Nullable String owner) {

		@Nullable String effectiveNonce() {
			return (this.data != null && this.data.nonce() != null) ? this.data.nonce() : this.nonce;
		}

	}

	/** The lease itself. */
	record LeaseData(@Nullable String nonce, @JsonProperty("expires_at") @Nullable Long expiresAt,
			@Nullable String owner) {
	}

	/** {@code upsertMetadataKeyRequest}. */
	record MetadataValue(String value) {
	}

}
