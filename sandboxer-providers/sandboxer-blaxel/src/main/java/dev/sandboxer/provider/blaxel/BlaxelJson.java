package dev.sandboxer.provider.blaxel;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The wire shapes this provider sends and reads, named as the vendor names them: the control plane as
 * blaxel-ai/sdk-typescript {@code @blaxel/core/src/client/types.gen.ts} has it, sandbox-api as
 * blaxel-ai/sandbox {@code sandbox-api/docs/openapi.yml} has it. Only the fields used here; the codec ignores the rest
 * and leaves {@code null}s out of requests.
 */
final class BlaxelJson {

	private BlaxelJson() {
	}

	// Control plane

	record Sandbox(@Nullable Metadata metadata, @Nullable Spec spec, @Nullable String status, @Nullable String state,
			@Nullable Double expiresIn) {
	}

	record Metadata(@Nullable String name, @Nullable Map<String, String> labels, @Nullable String url,
			@Nullable String createdAt) {
	}

	record Spec(@Nullable Runtime runtime, @Nullable String region) {
	}

	/** {@code ttl}: max age from creation ({@code 300s}); {@code expires}: an absolute ISO 8601 deletion time. */
	record Runtime(@Nullable String image, @Nullable Integer memory, @Nullable List<Port> ports,
			@Nullable List<Env> envs, @Nullable String ttl, @Nullable String expires) {
	}

	record Port(int target, @Nullable String protocol) {
	}

	record Env(String name, String value) {
	}

	/** A page of {@code GET /sandboxes} with {@code Blaxel-Version: 2026-04-28}. */
	record SandboxPage(@Nullable List<Sandbox> data, @Nullable PageMeta meta) {
	}

	record PageMeta(@Nullable Boolean hasMore, @Nullable String nextCursor) {
	}

	record Preview(PreviewMetadata metadata, PreviewSpec spec) {
	}

	record PreviewMetadata(String name) {
	}

	record PreviewSpec(@Nullable Integer port, @JsonProperty("public") @Nullable Boolean isPublic,
			@Nullable String url) {
	}

	// sandbox-api

	/** {@code timeout} in seconds; {@code name} identifies the process as well as its pid does. */
	record ProcessRequest(String command, @Nullable String name, @Nullable String workingDir,
			@Nullable Map<String, String> env, @Nullable Boolean waitForCompletion, @Nullable Long timeout) {
	}

	/** {@code pid} is a string on the wire. */
	record ProcessResponse(@Nullable String pid, @Nullable String name, @Nullable String command,
			@Nullable String status, @Nullable Integer exitCode, @Nullable String stdout, @Nullable String stderr,
			@Nullable String startedAt, @Nullable String completedAt) {
	}

	/** One line of the NDJSON stream of {@code POST /process}: stdout, stderr, keepalive, result or error. */
	record StreamEvent(@Nullable String type, @Nullable String data) {
	}

	record ProcessLogs(@Nullable String stdout, @Nullable String stderr) {
	}

	record Directory(@Nullable String path, @Nullable List<FileEntry> files,
			@Nullable List<SubdirectoryEntry> subdirectories) {
	}

	/** {@code permissions} is the octal text of a Go {@code FileMode} ({@code 644}). */
	record FileEntry(@Nullable String path, @Nullable String name, @Nullable String permissions, @Nullable Long size) {
	}

	record SubdirectoryEntry(@Nullable String path, @Nullable String name) {
	}

	record FileRequest(@Nullable Boolean isDirectory, @Nullable String permissions) {
	}

}
