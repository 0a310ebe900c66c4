package dev.sandboxer.provider.daytona;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The toolbox's bodies, as {@code apps/daemon/pkg/toolbox/docs/swagger.yaml} at b5a5d9e7 names them (and the Go
 * types behind it in {@code apps/daemon/pkg/toolbox/**}). Only the fields this provider reads or sends.
 */
final class ToolboxJson {

	private ToolboxJson() {
	}

	/** {@code ExecuteRequest}; {@code timeout} in whole seconds, none means no limit. */
	record ExecuteRequest(String command, @Nullable String cwd, @Nullable Map<String, String> envs,
			@Nullable Long timeout) {
	}

	/** {@code ExecuteResponse}: stdout and stderr together in {@code result}. */
	record ExecuteResponse(@Nullable Integer exitCode, @Nullable String result) {
	}

	/** {@code FileInfo}; {@code permissions} is the octal mode ({@code "0755"}). */
	record FileInfo(@Nullable String name, @Nullable Long size, @Nullable Boolean isDir,
			@Nullable String permissions) {
	}

	/** {@code CreateSessionRequest}. */
	record CreateSession(String sessionId) {
	}

	/** {@code SessionExecuteRequest}. */
	record SessionExecute(String command, boolean runAsync) {
	}

	/** {@code SessionExecuteResponse}. */
	record SessionExecuted(String cmdId) {
	}

	/** {@code Command}: no {@code exitCode} while it runs. */
	record Command(String id, @Nullable String command, @Nullable Integer exitCode) {
	}

	/** {@code Session}. */
	record Session(String sessionId, @Nullable List<Command> commands) {
	}

	/** {@code PtyCreateRequest}: the id is the caller's choice. */
	record PtyCreate(String id, @Nullable String cwd, @Nullable Map<String, String> envs, int cols, int rows,
			boolean lazyStart) {
	}

	/** {@code PtySessionInfo}. */
	record PtySession(String id, @Nullable Integer cols, @Nullable Integer rows, @Nullable Boolean active) {
	}

	/** {@code PtyListResponse}. */
	record PtyList(@Nullable List<PtySession> sessions) {
	}

	/** {@code PtyResizeRequest}. */
	record PtyResize(int cols, int rows) {
	}

}
