package dev.sandboxer.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A terminal to open.
 *
 * @param command the program to run in it; a login shell when {@code null}
 * @param rows terminal height (default 24)
 * @param cols terminal width (default 80)
 * @param cwd the working directory; the sandbox's default when {@code null}
 * @param env environment variables for the terminal's process
 * @param user the user to run as; the sandbox's default when {@code null}
 */
public record CreatePtyRequest(@Nullable String command, int rows, int cols, @Nullable String cwd,
		Map<String, String> env, @Nullable String user) {

	public CreatePtyRequest {
		Requests.requirePositive(rows, "rows");
		Requests.requirePositive(cols, "cols");
		env = Requests.requireEnvironment(env);
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Builds a {@link CreatePtyRequest}. */
	public static final class Builder {

		private @Nullable String command;

		private int rows = 24;

		private int cols = 80;

		private @Nullable String cwd;

		private final Map<String, String> env = new LinkedHashMap<>();

		private @Nullable String user;

		private Builder() {
		}

		public Builder command(@Nullable String command) {
			this.command = command;
			return this;
		}

		public Builder size(int rows, int cols) {
			this.rows = rows;
			this.cols = cols;
			return this;
		}

		public Builder cwd(@Nullable String cwd) {
			this.cwd = cwd;
			return this;
		}

		public Builder env(String name, String value) {
			this.env.put(name, value);
			return this;
		}

		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		public CreatePtyRequest build() {
			return new CreatePtyRequest(this.command, this.rows, this.cols, this.cwd, this.env, this.user);
		}

	}

}
