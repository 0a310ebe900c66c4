package dev.sandboxer.provider.local;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/** {@code unable to find user nobodyx: no matching entries in passwd file}, and the same for groups. */
	private static final Pattern UNKNOWN_NAME = Pattern.compile("^unable to find (user|group) (.*?): no matching entries");

	/** {@code ... chdir to cwd ("/nope") set in config.json failed: no such file or directory ...} */
	private static final Pattern BAD_CWD = Pattern
		.compile("chdir to cwd \\(\"(.*)\"\\) set in config\\.json failed: ([a-z ]+)", Pattern.DOTALL);

	/**
	 * The error for a process that never started, or {@code null} when the output is the process's own. An unknown
	 * user or group and a missing working directory get a message of their own and the codes {@code unknown-user},
	 * {@code unknown-group} and {@code no-such-directory} (a {@link ProviderException}, as E2B's envd answers the
	 * same mistakes); any other refusal keeps the Engine's words.
	 */
	static @Nullable SandboxerException of(String stdout, String subject) {
		String text = stdout.strip();
		Matcher unknown = UNKNOWN_NAME.matcher(text);
		if (unknown.find()) {
			String kind = unknown.group(1);
			String where = kind.equals("user") ? "/etc/passwd" : "/etc/group";
			return new ProviderException(EngineErrors.PROVIDER, "No " + kind + " '" + unknown.group(2) + "' in "
					+ where + " of " + subject + "; give a name it knows or a numeric id", null, "unknown-" + kind, null);
		}
		Matcher cwd = BAD_CWD.matcher(text);
		if (cwd.find()) {
			return new ProviderException(EngineErrors.PROVIDER, "The working directory '" + cwd.group(1) + "' of "
					+ subject + " cannot be used: " + cwd.group(2).strip(), null, "no-such-directory", null);
		}
		for (String complaint : ENGINE_COMPLAINTS) {
			if (text.startsWith(complaint)) {
				return new ProviderException(EngineErrors.PROVIDER, "The Docker Engine could not start the process in "
						+ subject + ": " + text, null, "exec-failed", null);
			}
		}
		return null;
	}

}
