package dev.sandboxer.provider.blaxel;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.http.ShellLine;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;

/**
 * Whether one sandbox can run commands as another user. sandbox-api runs every process as the sandbox's own user and
 * takes no user per call, so a command for another user is prefixed with {@code sudo -n -H -u <user> --}
 * ({@link ShellLine}); that needs sudo in the image and a rule that lets the sandbox's user switch without a password
 * (root always may). Before the first command for a user, {@code sudo -n -u <user> -- true} is run and waited for
 * ({@code POST /process} with {@code waitForCompletion}); if it fails the command is not run and the caller gets a
 * {@link NotSupportedException} with sudo's own words. A user that passed is remembered for the sandbox.
 */
final class OtherUsers {

	/** Distinct users remembered per sandbox; past this, users are checked again each time. */
	private static final int MAX_REMEMBERED = 32;

	/** sudo's answer is quoted in the error up to this length. */
	private static final int MAX_QUOTED = 300;

	private final SandboxApi api;

	private final Set<String> able = ConcurrentHashMap.newKeySet();

	OtherUsers(SandboxApi api) {
		this.api = api;
	}

	/** Completes when commands can run as {@code user}; a {@link NotSupportedException} when they cannot. */
	Mono<Void> check(String user, String operation) {
		if (this.able.contains(user)) {
			return Mono.empty();
		}
		Duration timeout = this.api.defaultTimeout();
		return Mono.fromCallable(() -> ShellLine.userCheck(user))
			.flatMap((line) -> this.api.call(HttpMethod.POST, "/process", operation)
				// A new name on each try, and the check changes nothing: it may be repeated.
				.safeToRepeat()
				.timeout(timeout.plus(timeout))
				.jsonBody(new BlaxelJson.ProcessRequest(line, BlaxelProcesses.NAME_PREFIX + UUID.randomUUID(), null,
						null, Boolean.TRUE, Math.max(1, timeout.toSeconds())))
				.json(BlaxelJson.ProcessResponse.class))
			.flatMap((process) -> {
				if (process.exitCode() != null && process.exitCode() == 0) {
					if (this.able.size() < MAX_REMEMBERED) {
						this.able.add(user);
					}
					return Mono.<Void>empty();
				}
				return Mono.error(cannot(user, operation, process));
			});
	}

	private NotSupportedException cannot(String user, String operation, BlaxelJson.ProcessResponse process) {
		String said = ((process.stderr() != null) ? process.stderr() : "")
				+ ((process.stdout() != null) ? process.stdout() : "");
		said = said.strip();
		if (said.length() > MAX_QUOTED) {
			said = said.substring(0, MAX_QUOTED) + "...";
		}
		return new NotSupportedException(BlaxelSettings.PROVIDER, operation + " as user '" + user + "'",
				"this sandbox cannot switch to that user without a password ('" + ShellLine.userCheck(user)
						+ "' exited with " + process.exitCode() + ": " + this.api.http().redactor().redact(said)
						+ "); use an image with sudo and a NOPASSWD rule for the sandbox's user");
	}

}
