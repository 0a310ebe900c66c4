package dev.sandboxer.provider.e2b;

import java.util.List;
import java.util.Map;

import dev.sandboxer.http.ProtoJsonBytes;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * envd's messages in the proto3 JSON mapping of {@code process.proto} and {@code filesystem.proto}: lowerCamelCase
 * names ({@code exit_code} is {@code exitCode}), {@code bytes} as base64, {@code int64} as a string (read as a
 * number too), enums by name, fields at their default value left out ({@code {}} is an {@code end} with exit code 0).
 * A {@code oneof} is an object with one of its fields set.
 */
final class EnvdJson {

	private EnvdJson() {
	}

	// process.Process

	record ProcessConfig(String cmd, List<String> args, @Nullable Map<String, String> envs, @Nullable String cwd) {
	}

	record Pty(PtySize size) {
	}

	record PtySize(int cols, int rows) {
	}

	record StartRequest(ProcessConfig process, @Nullable Pty pty, @Nullable String tag, @Nullable Boolean stdin) {
	}

	/** {@code oneof selector}: a pid or a tag. */
	record ProcessSelector(@Nullable Integer pid, @Nullable String tag) {

		static ProcessSelector pid(int pid) {
			return new ProcessSelector(pid, null);
		}

		static ProcessSelector tag(String tag) {
			return new ProcessSelector(null, tag);
		}

	}

	record ConnectRequest(ProcessSelector process) {
	}

	/** {@code StartResponse} and {@code ConnectResponse}, which have the same shape. */
	record ProcessEventMessage(@Nullable ProcessEvent event) {
	}

	/** {@code oneof event}: start, data, end or keepalive. */
	record ProcessEvent(@Nullable StartEvent start, @Nullable DataEvent data, @Nullable EndEvent end,
			@Nullable Map<String, Object> keepalive) {
	}

	record StartEvent(@Nullable Integer pid) {
	}

	/** {@code oneof output}: stdout, stderr or, for a terminal, pty. */
	record DataEvent(@JsonDeserialize(using = ProtoJsonBytes.class) byte @Nullable [] stdout,
			@JsonDeserialize(using = ProtoJsonBytes.class) byte @Nullable [] stderr,
			@JsonDeserialize(using = ProtoJsonBytes.class) byte @Nullable [] pty) {
	}

	/** {@code sint32 exit_code}, {@code exited}, {@code status} ("exit status 1", "signal: killed"), {@code error}. */
	record EndEvent(@Nullable Integer exitCode, @Nullable Boolean exited, @Nullable String status,
			@Nullable String error) {
	}

	record ListRequest() {
	}

	record ListResponse(@Nullable List<ProcessInfo> processes) {
	}

	record ProcessInfo(@Nullable ProcessConfig config, @Nullable Integer pid, @Nullable String tag) {
	}

	/** {@code signal} is an enum name: {@code SIGNAL_SIGKILL}, {@code SIGNAL_SIGTERM}. */
	record SendSignalRequest(ProcessSelector process, String signal) {
	}

	record SendInputRequest(ProcessSelector process, ProcessInput input) {
	}

	/** {@code oneof input}: stdin or pty bytes. */
	record ProcessInput(byte @Nullable [] stdin, byte @Nullable [] pty) {
	}

	record UpdateRequest(ProcessSelector process, Pty pty) {
	}

	/** The empty answer of SendSignal, SendInput, Update, MakeDir and Remove (their fields are not used here). */
	record Empty() {
	}

	// filesystem.Filesystem

	record PathRequest(String path) {
	}

	record ListDirRequest(String path, int depth) {
	}

	/** {@code type}: {@code FILE_TYPE_FILE}, {@code FILE_TYPE_DIRECTORY}, {@code FILE_TYPE_SYMLINK}. */
	record EntryInfo(@Nullable String name, @Nullable String type, @Nullable String path, @Nullable Long size,
			@Nullable Integer mode, @Nullable String permissions, @Nullable String owner, @Nullable String group,
			@Nullable String modifiedTime, @Nullable String symlinkTarget) {
	}

	record ListDirResponse(@Nullable List<EntryInfo> entries) {
	}

}
