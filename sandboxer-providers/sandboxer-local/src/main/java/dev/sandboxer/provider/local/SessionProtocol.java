package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
 * pass untouched. The agent marks on stdout that it took the request ({@code \001sandboxer-start:<id>\001}): a
 * session that dies before that mark never ran the command, which then goes through exec; one that dies after it
 * may have, so the command is never run a second time. Its end is marked on both streams with
 * {@code \001sandboxer-end:<id>:<exit>\001}; once both are read, every byte of the command has arrived and the next
 * request may be written (the agent reads it when it is back in its loop). The id is random per command, so a
 * command's output cannot end it by chance.
 * <p>
 * <b>Processes per command</b>: a fork of the agent (the wrapper, which keeps the agent's command line), and the
 * command's own {@code sh -c}, started through {@code setsid} so that it leads a session of its own, as a Docker exec
 * does: a timeout kill finds it and its children, {@code kill 0} in it reaches only its own processes, and a daemon
 * it leaves behind is no part of the agent's session. Each exec costs ~0.4-0.6 ms of CPU in a container, a fork
 * ~0.25 ms, so the wrapper is a fork and not a third {@code sh}. The wrapper, not the agent, marks the end, so a
 * command whose agent is killed while it runs still ends with its own exit code; when the wrapper itself dies (it
 * exits 0 once it marked the end) the agent marks the end with the wrapper's status instead.
 */
final class SessionProtocol {

	/** The agent's {@code $0}: {@code sandboxer-...}, so that process listings leave it (and its wrappers) out. */
	static final String AGENT_NAME = "sandboxer-session";

	/** Printed first on stdout by an agent that can run commands. */
	static final byte[] READY = "\001sandboxer-ready\001".getBytes(StandardCharsets.US_ASCII);

	/** Exit code the agent marks a command with whose working directory it could not enter. */
	static final String NO_DIRECTORY = "nodir";

	/**
	 * The agent. An image without {@code setsid} gets no session (the agent exits without READY). It changes
	 * directory only for a request that names one, and comes back after it.
	 */
	static final String AGENT = """
			h=$PWD nl='
			'
			command -v setsid >/dev/null 2>&1 || exit 0
			printf '\\001sandboxer-ready\\001'
			while IFS= read -r l; do
			  eval "set -- $l" || continue
			  i=$1 d=$2 c=$3; shift 3
			  printf '\\001sandboxer-start:%s\\001' "$i"
			  if [ -n "$d" ] && ! cd "$d" 2>/dev/null; then
			    r=nodir
			  else
			    (
			      export SANDBOXER_EXEC_ID="$i"; for v; do export "$v"; done
			      setsid sh -c "$c" </dev/null
			      r=$?
			      printf '\\001sandboxer-end:%s:%s\\001' "$i" "$r"; printf '\\001sandboxer-end:%s:%s\\001' "$i" "$r" >&2
			    )
			    r=$?
			    [ -z "$d" ] || cd "$h" 2>/dev/null || cd /
			    [ "$r" = 0 ] && continue
			  fi
			  printf '\\001sandboxer-end:%s:%s\\001' "$i" "$r"; printf '\\001sandboxer-end:%s:%s\\001' "$i" "$r" >&2
			done
			""";

	private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final SecureRandom IDS = new SecureRandom();

	private SessionProtocol() {
	}

	/**
	 * A command's id: 64 random bits, so that no output ends a command by chance, in 16 characters, because the
	 * agent reads its request a byte at a time (a shell's {@code read} must not read past the line).
	 */
	static String newId() {
		return String.format("%016x", IDS.nextLong());
	}

	/** The marker the agent writes on stdout once it took the request: from then on the command may have run. */
	static byte[] start(String id) {
		return ("\001sandboxer-start:" + id + "\001").getBytes(StandardCharsets.US_ASCII);
	}

	/** The marker that ends a command's output on each stream, up to its exit code. */
	static byte[] endPrefix(String id) {
		return ("\001sandboxer-end:" + id + ":").getBytes(StandardCharsets.US_ASCII);
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
