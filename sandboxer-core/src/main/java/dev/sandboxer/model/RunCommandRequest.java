package dev.sandboxer.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A command to run to its end.
 *
 * @param command a shell command line, run by the sandbox's shell: {@code sh -c} locally, {@code bash -l -c} on E2B
 * as its official SDK runs it
 * @param cwd the working directory; the sandbox's default when {@code null}
 * @param env environment variables added for this command only
 * @param timeout how long it may run; at the timeout it is killed and the result says {@code timedOut}. A timeout
 * longer than the provider's default HTTP timeout extends the wait for this call.
 * @param user the user to run as; the sandbox's default when {@code null}
 */
public record RunCommandRequest(String command, @Nullable String cwd, Map<String, String> env,
		@Nullable Duration timeout, @Nullable String user) {

	public RunCommandRequest {
		Requests.requireText(command, "command");
		env = Requests.requireEnvironment(env);
		Requests.requirePositive(timeout, "timeout");
	}

	public static RunCommandRequest of(String command) {
		return builder(command).build();
	}

	/** The same request with another timeout. */
	public RunCommandRequest withTimeout(@Nullable Duration timeout) {
		return new RunCommandRequest(this.command, this.cwd, this.env, timeout, this.user);
	}

	public static Builder builder(String command) {
		return new Builder(command);
	}

	/** Builds a {@link RunCommandRequest}. */
	public static final class Builder {

		private final String command;

		private @Nullable String cwd;

		private final Map<String, String> env = new LinkedHashMap<>();

		private @Nullable Duration timeout;

		private @Nullable String user;

		private Builder(String command) {
			this.command = command;
		}

		public Builder cwd(@Nullable String cwd) {
			this.cwd = cwd;
			return this;
		}

		public Builder env(String name, String value) {
			this.env.put(name, value);
			return this;
		}

		public Builder env(Map<String, String> env) {
			this.env.putAll(env);
			return this;
		}

		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		public RunCommandRequest build() {
			return new RunCommandRequest(this.command, this.cwd, this.env, this.timeout, this.user);
		}

	}

}
