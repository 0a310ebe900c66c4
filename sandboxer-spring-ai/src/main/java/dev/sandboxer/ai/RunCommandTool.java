package dev.sandboxer.ai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.RunCommandRequest;

/** {@code run_command}: a shell command to its end, with its exit code, stdout and stderr. */
final class RunCommandTool extends SandboxToolCallback {

	RunCommandTool(ToolEnvironment environment) {
		super(environment, SandboxTool.RUN_COMMAND, description(environment.settings()), schema(environment.settings()));
	}

	private static String description(SandboxToolsSettings settings) {
		return "Runs a shell command in this conversation's sandbox, an isolated Linux machine of its own, and waits "
				+ "for it to end. Returns exit_code, stdout and stderr. A non-zero exit_code is a normal result, not "
				+ "a failure of the tool: read stderr to see what went wrong. Files and installed packages stay in "
				+ "the sandbox for later calls of this conversation, but each call starts a new shell, so cd and "
				+ "exported variables do not carry over (use cwd, or chain with &&). A command still running after "
				+ "timeout_seconds is stopped and reports timed_out=true; for servers and other commands that do "
				+ "not end, use start_command. stdout and stderr longer than " + settings.maxOutputChars()
				+ " characters each are cut in the middle.";
	}

	private static ToolSchema schema(SandboxToolsSettings settings) {
		return new ToolSchema()
			.requiredString("command", "The shell command line to run, for example \"ls -la /tmp\" or "
					+ "\"python3 app.py && echo done\". Pipes, && and redirections work.")
			.optionalString("cwd", "The directory to run in, as an absolute path. Defaults to the sandbox's "
					+ "working directory.")
			.optionalInteger("timeout_seconds", 1, settings.maxCommandTimeout().toSeconds(),
					"Stop the command after this many seconds. Defaults to " + settings.commandTimeout().toSeconds()
							+ ".");
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		SandboxToolsSettings settings = this.environment.settings();
		Long seconds = arguments.optionalWholeNumber("timeout_seconds", 1, settings.maxCommandTimeout().toSeconds());
		RunCommandRequest request = RunCommandRequest.builder(arguments.requiredText("command"))
			.cwd(arguments.optionalText("cwd"))
			.timeout((seconds != null) ? Duration.ofSeconds(seconds) : settings.commandTimeout())
			.build();
		return (held) -> describe(held.sandbox().runCommand(request), request, settings.maxOutputChars());
	}

	private static Map<String, Object> describe(CommandResult result, RunCommandRequest request, int maxChars) {
		OutputCut stdout = OutputCut.of(result.stdout(), maxChars);
		OutputCut stderr = OutputCut.of(result.stderr(), maxChars);
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("exit_code", result.exitCode());
		described.put("stdout", stdout.text());
		described.put("stderr", stderr.text());
		if (result.timedOut()) {
			described.put("timed_out", true);
			described.put("note", "The command was stopped after " + request.timeout().toSeconds() + " seconds. "
					+ "Give it a longer timeout_seconds, or run it with start_command.");
		}
		if (stdout.truncated() || stderr.truncated()) {
			described.put("truncated", true);
			described.put("truncation_note", "Output longer than " + maxChars + " characters was cut in the middle "
					+ "(stdout had " + stdout.originalLength() + ", stderr " + stderr.originalLength() + "). To see "
					+ "all of it, redirect it to a file and read that with read_file, or narrow it with grep, "
					+ "head or tail.");
		}
		if (result.error() != null) {
			described.put("provider_message", result.error());
		}
		return described;
	}

}
