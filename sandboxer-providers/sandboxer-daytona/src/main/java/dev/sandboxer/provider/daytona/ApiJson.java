package dev.sandboxer.provider.daytona;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The main API's bodies, as {@code libs/api-client-go/api/openapi.yaml} at b5a5d9e7 names them. Only the fields this
 * provider reads or sends; unknown fields are ignored.
 */
final class ApiJson {

	private ApiJson() {
	}

	/**
	 * {@code CreateSandbox}: every field optional; {@code memory} and {@code disk} are in GB. {@code public} is a Java
	 * keyword, hence {@code isPublic}.
	 */
	record CreateSandbox(@Nullable String name, @Nullable String snapshot, @Nullable String user,
			@Nullable Map<String, String> env, @Nullable Map<String, String> labels,
			@JsonProperty("public") @Nullable Boolean isPublic,
			@Nullable Boolean networkBlockAll, @Nullable String networkAllowList, @Nullable String domainAllowList,
			@Nullable String target, @Nullable Integer cpu, @Nullable Integer gpu, @Nullable Integer memory,
			@Nullable Integer disk, @Nullable Integer autoStopInterval, @Nullable Integer autoArchiveInterval,
			@Nullable Integer autoDeleteInterval) {
	}

	/**
	 * {@code Sandbox} and {@code SandboxListItem} (the list item lacks {@code env}); {@code cpu} and {@code memory}
	 * (GB) are numbers, the intervals are minutes, the times ISO-8601 strings.
	 */
	record Sandbox(String id, @Nullable String name, @Nullable String snapshot, @Nullable String state,
			@Nullable String errorReason, @Nullable Map<String, String> labels, @Nullable Double cpu,
			@Nullable Double memory, @Nullable Double autoStopInterval, @Nullable Double autoDeleteInterval,
			@Nullable String createdAt, @Nullable String updatedAt, @Nullable String lastActivityAt,
			@Nullable String toolboxProxyUrl) {
	}

	/** {@code ListSandboxesResponse}: one page, and the cursor of the next ({@code null} on the last). */
	record SandboxPage(@Nullable List<Sandbox> items, @Nullable String nextCursor) {
	}

	/** {@code PortPreviewUrl}. */
	record PreviewUrl(String url, @Nullable String token) {
	}

	/** {@code ToolboxProxyUrl}. */
	record ToolboxProxyUrl(String url) {
	}

}
