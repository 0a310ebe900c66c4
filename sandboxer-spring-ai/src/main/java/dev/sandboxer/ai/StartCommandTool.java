package dev.sandboxer.ai;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.StartCommandRequest;

/**
 * {@code start_command}: a shell command in the background. The model's command is written to a script file and
 * sourced by a fixed wrapper, so it never passes through our own quoting: the wrapper line holds nothing but paths
 * this class made.
 */
final class StartCommandTool extends SandboxToolCallback {

	StartCommandTool(ToolEnvironment environment) {
		super(environment, SandboxTool.START_COMMAND, "Starts a shell command in the background in this "
				+ "conversation's sandbox and returns at once with a job_id, while the command keeps running: use it "
				+ "for servers, watchers and anything that takes longer than a run_command timeout. Read what it "
				+ "printed so far (stdout and stderr together) and, once it ended, its exit code with "
				+ "read_command_output. At most " + BackgroundJobs.MAX_JOBS + " per conversation.",
				new ToolSchema()
					.requiredString("command", "The shell command line to run, for example "
							+ "\"python3 -m http.server 8000\".")
					.optionalString("cwd", "The directory to run in, as an absolute path. Defaults to the "
							+ "sandbox's working directory."));
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		String command = arguments.requiredText("command");
		String cwd = arguments.optionalText("cwd");
		return (held) -> {
			BackgroundJobs jobs = held.jobs();
			String id = jobs.reserve();
			if (id == null) {
				throw new ToolFailure("too_many_jobs", "This conversation started " + BackgroundJobs.MAX_JOBS
						+ " background commands already, the most it may. Run the next one with run_command.");
			}
			BackgroundJobs.Job job = null;
			try {
				held.sandbox()
					.writeFile(BackgroundJobs.scriptPath(id), (command + "\n").getBytes(StandardCharsets.UTF_8));
				// A subshell, so that an exit in the command still lets the wrapper record the exit code.
				String wrapper = "( . " + BackgroundJobs.scriptPath(id) + " ) > " + BackgroundJobs.outputPath(id)
						+ " 2>&1 < /dev/null; echo $? > " + BackgroundJobs.exitCodePath(id);
				CommandHandle handle = held.sandbox()
					.startCommand(StartCommandRequest.builder(wrapper).cwd(cwd).build());
				job = new BackgroundJobs.Job(id, handle.pid());
			}
			finally {
				jobs.settle(job);
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("job_id", job.id());
			result.put("pid", job.pid());
			result.put("note", "Started in the background. Call read_command_output with job_id=" + job.id()
					+ " to see its output and whether it ended; stop it with run_command: kill " + job.pid());
			return result;
		};
	}

}
