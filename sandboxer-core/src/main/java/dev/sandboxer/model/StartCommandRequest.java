package dev.sandboxer.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A command to start in the background.
 *
 * @param command a shell command line, run by the sandbox's shell: {@code sh -c} locally, {@code bash -l -c} on E2B
 * as its official SDK runs it
 * @param cwd the working directory; the sandbox's default when {@code null}
 * @param env environment variables added for this command only
 * @param user the user to run as; the sandbox's default when {@code null}
 */
public record StartCommandRequest(String command, @Nullable String cwd, Map<String, String> env,
		@Nullable String user) {

	public StartCommandRequest {
		Requests.requireText(command, "command");
		env = Requests.requireEnvironment(env);
	}

	public static StartCommandRequest of(String command) {
		return builder(command).build();
	}

	public static Builder builder(String command) {
		return new Builder(command);
	}

	/** Builds a {@link StartCommandRequest}. */
	public static final class Builder {

		private final String command;

		private @Nullable String cwd;

		private final Map<String, String> env = new LinkedHashMap<>();

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

		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		public StartCommandRequest build() {
			return new StartCommandRequest(this.command, this.cwd, this.env, this.user);
		}

	}

}
