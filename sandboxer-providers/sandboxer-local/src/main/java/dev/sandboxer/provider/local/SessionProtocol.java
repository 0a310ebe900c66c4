package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a session's agent and this JVM say to each other. The agent is a POSIX {@code sh} loop (dash and BusyBox ash
 * alike) passed as the exec's argument, so nothing is installed in the image and nothing is left on its disk.
 * <p>
 * <b>Requests</b> are one line each on the agent's stdin: {@code 'id' 'cwd' 'command' 'NAME=value'...}, every field
 * in single quotes, a quote written {@code '\''} and a newline {@code '"$nl"'}. The agent reads the line with
 * {@code read -r} and hands it to {@code eval "set -- $line"}, which only splits the quoted words into {@code $1...}:
 * strictly quoted, nothing of the request is ever parsed as shell code. A field with a NUL, a variable name that is
 * not a shell name and a relative working directory cannot travel this way; such a request goes through exec.
 * <p>
 * <b>Output</b> is the command's own: its stdout and stderr are the exec's, which the Engine frames apart, so bytes
 * pass untouched. The ends are marked on both streams with {@code \001sandboxer-end:<id>:<exit>\001}, written by the
 * command's wrapper once the command ended, then {@code \001sandboxer-idle:<id>\001}, written by the agent once it
 * is ready for the next line. The id is random per command, so a command's output cannot end it by chance.
 */
final class SessionProtocol {

	/** The agent's {@code $0}: {@code sandboxer-...}, so that process listings leave it out. */
	static final String AGENT_NAME = "sandboxer-session";

	/** Printed first on stdout by an agent that can run commands. */
	static final byte[] READY = "\001sandboxer-ready\001".getBytes(StandardCharsets.US_ASCII);

	/** Exit code the agent marks a command with whose working directory it could not enter. */
	static final String NO_DIRECTORY = "nodir";

	/**
	 * $1 the command wrapper. Each command runs in a subshell that exports its variables and becomes, through
	 * {@code setsid}, the leader of a session of its own running the wrapper, so that a timeout kill finds it and
	 * its children exactly as on the exec path, and a daemon it leaves behind is no part of the agent's session. An
	 * image without {@code setsid} gets no session (the agent exits without READY).
	 */
	static final String AGENT = """
			w=$1 h=$PWD nl='
			'
			command -v setsid >/dev/null 2>&1 || exit 0
			printf '\\001sandboxer-ready\\001'
			while IFS= read -r l; do
			  eval "set -- $l" || continue
			  i=$1 d=$2 c=$3; shift 3
			  if [ -n "$d" ] && ! cd "$d" 2>/dev/null; then
			    printf '\\001sandboxer-end:%s:nodir\\001' "$i"; printf '\\001sandboxer-end:%s:nodir\\001' "$i" >&2
			  else
			    ( export SANDBOXER_EXEC_ID="$i"; for v; do export "$v"; done; exec setsid sh -c "$w" "sandboxer-exec:$i" sh -c "$c" ) </dev/null
			    cd "$h" 2>/dev/null || cd /
			  fi
			  printf '\\001sandboxer-idle:%s\\001' "$i"; printf '\\001sandboxer-idle:%s\\001' "$i" >&2
			done
			""";

	/** The command's wrapper ({@code $0} is {@code sandboxer-exec:<id>}): runs it and marks its end on both streams. */
	static final String WRAPPER = """
			"$@"
			r=$?
			printf '\\001sandboxer-end:%s:%s\\001' "${0#sandboxer-exec:}" "$r"
			printf '\\001sandboxer-end:%s:%s\\001' "${0#sandboxer-exec:}" "$r" >&2
			exit $r
			""";

	private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private SessionProtocol() {
	}

	/** The marker that ends a command's output on each stream, up to its exit code. */
	static byte[] endPrefix(String id) {
		return ("\001sandboxer-end:" + id + ":").getBytes(StandardCharsets.US_ASCII);
	}

	/** The marker after which the agent takes the next request. */
	static byte[] idle(String id) {
		return ("\001sandboxer-idle:" + id + "\001").getBytes(StandardCharsets.US_ASCII);
	}

	/** The request line, ended by a newline; {@code null} when the request cannot travel as one (see above). */
	static byte @Nullable [] request(String id, @Nullable String cwd, String command, Map<String, String> env) {
		if (cwd != null && !cwd.startsWith("/")) {
			return null;
		}
		StringBuilder line = new StringBuilder(command.length() + 64);
		if (!quote(line, id) || !quote(line, (cwd != null) ? cwd : "") || !quote(line, command)) {
			return null;
		}
		for (Map.Entry<String, String> variable : env.entrySet()) {
			if (!SHELL_NAME.matcher(variable.getKey()).matches()
					|| !quote(line, variable.getKey() + "=" + variable.getValue())) {
				return null;
			}
		}
		line.append('\n');
		return line.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Appends one field in single quotes; {@code false} for a NUL, which no shell variable can hold. */
	private static boolean quote(StringBuilder line, String field) {
		if (field.indexOf('\0') >= 0) {
			return false;
		}
		line.append(" '");
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			switch (c) {
				case '\'' -> line.append("'\\''");
				case '\n' -> line.append("'\"$nl\"'");
				default -> line.append(c);
			}
		}
		line.append('\'');
		return true;
	}

}
