package dev.sandboxer.provider.local;

import java.util.List;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import org.jspecify.annotations.Nullable;

/**
 * Recognises a process the Engine could not start. The Engine does not fail the exec call for a missing working
 * directory, user or program: it writes its complaint to the process's stdout and records exit code 126 or 127,
 * exactly what a command could do by itself. The complaint's fixed wording tells the two apart.
 */
final class ExecStartFailure {

	private static final List<String> ENGINE_COMPLAINTS = List.of("OCI runtime exec failed",
			"unable to find user", "unable to find group", "unable to start container process");

	private ExecStartFailure() {
	}

	/** The error for a process that never started, or {@code null} when the output is the process's own. */
	static @Nullable SandboxerException of(String stdout, String subject) {
		String text = stdout.strip();
		for (String complaint : ENGINE_COMPLAINTS) {
			if (text.startsWith(complaint)) {
				return new ProviderException(EngineErrors.PROVIDER, "The Docker Engine could not start the process in "
						+ subject + ": " + text, null, "exec-failed", null);
			}
		}
		return null;
	}

}
