package dev.sandboxer.provider.runloop;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The bodies Runloop's API takes and gives, as its generated Python client types them ({@code types/}); snake_case
 * on the wire. Absent optional fields are left out of requests.
 */
final class RunloopJson {

	private RunloopJson() {
	}

	/** {@code DevboxCreateParams}, the fields this provider sets. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record CreateDevbox(@Nullable String blueprintName, @Nullable String blueprintId, @Nullable String snapshotId,
			@Nullable String name, @Nullable Map<String, String> metadata,
			@Nullable Map<String, String> environmentVariables, @Nullable LaunchParameters launchParameters,
			@Nullable TunnelRequest tunnel) {
	}

	/**
	 * {@code LaunchParameters}: lifetime and size. This provider sends only the first four; {@code after_idle} and
	 * {@code lifecycle} are read, because a devbox with an idle policy ignores {@code keep_alive_time_seconds}.
	 */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record LaunchParameters(@Nullable Long keepAliveTimeSeconds, @Nullable String resourceSizeRequest,
			@Nullable Integer customCpuCores, @Nullable Integer customGbMemory, @Nullable AfterIdle afterIdle,
			@Nullable Lifecycle lifecycle) {

		LaunchParameters(@Nullable Long keepAliveTimeSeconds, @Nullable String resourceSizeRequest,
				@Nullable Integer customCpuCores, @Nullable Integer customGbMemory) {
			this(keepAliveTimeSeconds, resourceSizeRequest, customCpuCores, customGbMemory, null, null);
		}

		/** Whether an idle policy ({@code after_idle} or {@code lifecycle.after_idle}) replaces the keep-alive time. */
		boolean endsOnIdle() {
			return this.afterIdle != null || (this.lifecycle != null && this.lifecycle.afterIdle() != null);
		}

	}

	/** {@code AfterIdle} ({@code types/shared/after_idle.py}). */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record AfterIdle(@Nullable Long idleTimeSeconds, @Nullable String onIdle) {
	}

	/** {@code LifecycleConfiguration}, the one field this provider reads. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record Lifecycle(@Nullable AfterIdle afterIdle) {
	}

	/** The {@code tunnel} of a create and the body of {@code enable_tunnel}. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record TunnelRequest(String authMode) {
	}

	/** {@code DevboxView}, the fields this provider reads. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record DevboxView(String id, @Nullable String status, @Nullable Long createTimeMs, @Nullable Long endTimeMs,
			@Nullable Map<String, String> metadata, @Nullable LaunchParameters launchParameters,
			@Nullable String name, @Nullable String blueprintId, @Nullable String failureReason,
			@Nullable String shutdownReason, @Nullable TunnelView tunnel) {
	}

	/** {@code TunnelView}: {@code https://{port}-{tunnel_key}.tunnel.<domain>}. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record TunnelView(@Nullable String tunnelKey, @Nullable String authMode) {
	}

	/** {@code DevboxListView}. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record DevboxList(@Nullable List<DevboxView> devboxes, @Nullable Boolean hasMore) {
	}

	/** {@code DevboxUpdateParams}: the metadata replaces the devbox's whole map. */
	record UpdateDevbox(Map<String, String> metadata) {
	}

	/** The body of both {@code wait_for_status} long-polls; {@code timeout_seconds} is the server's hold. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record WaitForStatus(List<String> statuses, int timeoutSeconds) {
	}

	/** {@code DevboxExecuteAsyncParams}. */
	record ExecuteAsync(String command) {
	}

	/** {@code DevboxAsyncExecutionDetailView}. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record Execution(@Nullable String devboxId, String executionId, @Nullable String status,
			@Nullable Integer exitStatus, @Nullable String stdout, @Nullable String stderr) {
	}

	/** {@code ExecutionKillParams}. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record KillExecution(boolean killProcessGroup) {
	}

	/** {@code ExecutionUpdateChunk}, the data of one event of an output stream. */
	record OutputChunk(@Nullable String output, @Nullable Long offset) {
	}

	/** {@code DevboxDownloadFileParams}. */
	record DownloadFile(String path) {
	}

}
