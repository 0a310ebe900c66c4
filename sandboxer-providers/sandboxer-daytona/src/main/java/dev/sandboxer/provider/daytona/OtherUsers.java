package dev.sandboxer.provider.daytona;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.http.ShellLine;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * Whether one sandbox can run commands as another user. The toolbox runs everything as the sandbox's own user and
 * takes no user per call, so a command for another user is prefixed with {@code sudo -n -H -u <user> --}
 * ({@link ShellLine}); that needs sudo in the image and a rule that lets the sandbox's user switch without a
 * password (root always may). Before the first command for a user, {@code sudo -n -u <user> -- true} is run through
 * {@code POST /process/execute}; if it fails the command is not run and the caller gets a
 * {@link NotSupportedException} with sudo's own words. A user that passed is remembered for the sandbox.
 */
final class OtherUsers {

	/** Distinct users remembered per sandbox; past this, users are checked again each time. */
	private static final int MAX_REMEMBERED = 32;

	/** sudo's answer is quoted in the error up to this length. */
	private static final int MAX_QUOTED = 300;

	private final Toolbox toolbox;

	private final Duration timeout;

	private final Set<String> able = ConcurrentHashMap.newKeySet();

	OtherUsers(Toolbox toolbox, Duration timeout) {
		this.toolbox = toolbox;
		this.timeout = timeout;
	}

	/** Completes when commands can run as {@code user}; a {@link NotSupportedException} when they cannot. */
	Mono<Void> check(String user, String operation) {
		if (this.able.contains(user)) {
			return Mono.empty();
		}
		long seconds = Math.max(1, this.timeout.toSeconds());
		return Mono.fromCallable(() -> ShellLine.userCheck(user))
			.flatMap((line) -> this.toolbox.call(HttpMethod.POST, operation, "/process/execute", Map.of())
				// The check changes nothing in the sandbox, so it may be repeated.
				.flatMap((call) -> call.safeToRepeat()
					.timeout(this.timeout.plus(this.timeout))
					.jsonBody(new ToolboxJson.ExecuteRequest(line, null, null, seconds))
					.json(ToolboxJson.ExecuteResponse.class)))
			.flatMap((answer) -> {
				if (answer.exitCode() != null && answer.exitCode() == 0) {
					if (this.able.size() < MAX_REMEMBERED) {
						this.able.add(user);
					}
					return Mono.<Void>empty();
				}
				return Mono.error(cannot(user, operation, answer));
			});
	}

	private NotSupportedException cannot(String user, String operation, ToolboxJson.ExecuteResponse answer) {
		String said = (answer.result() != null) ? answer.result().strip() : "";
		if (said.length() > MAX_QUOTED) {
			said = said.substring(0, MAX_QUOTED) + "...";
		}
		return new NotSupportedException(DaytonaSettings.PROVIDER, operation + " as user '" + user + "'",
				"this sandbox cannot switch to that user without a password ('" + ShellLine.userCheck(user)
						+ "' exited with " + answer.exitCode() + ": " + this.toolbox.http().redactor().redact(said)
						+ "); use an image with sudo and a NOPASSWD rule for the sandbox's user, or create the "
						+ "sandbox with the option 'user'");
	}

}
