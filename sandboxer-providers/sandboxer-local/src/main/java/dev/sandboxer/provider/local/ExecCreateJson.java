package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /containers/{id}/exec} for a session's agent: stdin, stdout and stderr attached, no
 * terminal (so the Engine frames stdout and stderr apart), the command and, when given, the user. Written by hand for
 * the reason {@link CreateContainerJson} is.
 */
final class ExecCreateJson {

	private ExecCreateJson() {
	}

	static byte[] of(List<String> argv, @Nullable String user) {
		StringBuilder json = new StringBuilder(256)
			.append("{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"Cmd\":[");
		for (int i = 0; i < argv.size(); i++) {
			json.append((i > 0) ? "," : "").append(CreateContainerJson.string(argv.get(i)));
		}
		json.append(']');
		if (user != null) {
			json.append(",\"User\":").append(CreateContainerJson.string(user));
		}
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

}
