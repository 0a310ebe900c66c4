package dev.sandboxer.observation;

/** Every operation Sandboxer observes; {@link #value()} is the {@code operation} tag. */
public enum SandboxerOperation {

	CREATE_SANDBOX, ATTACH_SANDBOX, LIST_SANDBOXES, KILL_SANDBOX, PING,

	INFO, PAUSE, RESUME, KILL, SET_TIMEOUT, PORT_URL,

	RUN_COMMAND, START_COMMAND, WAIT_FOR_HANDLE, KILL_PROCESS, LIST_PROCESSES,

	READ_FILE, WRITE_FILE, LIST_DIRECTORY, MAKE_DIR, REMOVE, EXISTS,

	CREATE_PTY, SEND_PTY_INPUT, RESIZE_PTY, KILL_PTY, LIST_PTY;

	private final String value = name().toLowerCase(java.util.Locale.ROOT);

	/** The snake_case name, as in the reference SDKs: {@code run_command}. */
	public String value() {
		return this.value;
	}

}
