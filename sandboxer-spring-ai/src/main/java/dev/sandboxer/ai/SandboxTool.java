package dev.sandboxer.ai;

/** The tools {@link SandboxTools} offers, by the name a model calls them with. */
public enum SandboxTool {

	/** Runs a shell command to its end: exit code, stdout and stderr. */
	RUN_COMMAND("run_command", false),

	/** Reads a text file, a part at a time when it is long. */
	READ_FILE("read_file", true),

	/** Writes a text file, creating its directories. */
	WRITE_FILE("write_file", false),

	/** Lists a directory. */
	LIST_DIRECTORY("list_directory", true),

	/** Starts a shell command in the background and returns at once with a job id. */
	START_COMMAND("start_command", false),

	/** Reads what a background command wrote so far, and its exit code once it ended. */
	READ_COMMAND_OUTPUT("read_command_output", false);

	private final String toolName;

	private final boolean readOnly;

	SandboxTool(String toolName, boolean readOnly) {
		this.toolName = toolName;
		this.readOnly = readOnly;
	}

	/** The name the model sees and calls. */
	public String toolName() {
		return this.toolName;
	}

	/**
	 * Whether the tool only reads. Read-only mode offers these alone: anything that runs a command could change the
	 * sandbox, so {@link #READ_COMMAND_OUTPUT} goes with {@link #START_COMMAND}.
	 */
	public boolean readOnly() {
		return this.readOnly;
	}

}
