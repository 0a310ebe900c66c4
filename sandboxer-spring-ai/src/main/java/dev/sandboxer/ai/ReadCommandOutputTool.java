package dev.sandboxer.ai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import dev.sandboxer.Sandbox;
import dev.sandboxer.error.NotFoundException;
import org.jspecify.annotations.Nullable;

/** {@code read_command_output}: what a background command wrote so far, and its exit code once it ended. */
final class ReadCommandOutputTool extends SandboxToolCallback {

	ReadCommandOutputTool(ToolEnvironment environment) {
		super(environment, SandboxTool.READ_COMMAND_OUTPUT, "Reads the output (stdout and stderr together) of a "
				+ "command started with start_command, and tells whether it is still running; once it ended, "
				+ "exit_code says how. Returns up to " + environment.settings().maxOutputChars() + " bytes from "
				+ "offset; pass the next_offset of one result as the offset of the next call to read only what is "
				+ "new.",
				new ToolSchema().requiredString("job_id", "The job_id start_command returned, for example \"job-1\".")
					.optionalInteger("offset", 0, Long.MAX_VALUE,
							"The byte of the output to start at. Defaults to 0, the start."));
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		String jobId = arguments.requiredText("job_id");
		Long offsetArgument = arguments.optionalWholeNumber("offset", 0, Long.MAX_VALUE);
		long offset = (offsetArgument != null) ? offsetArgument : 0;
		int limit = this.environment.settings().maxOutputChars();
		return (held) -> {
			BackgroundJobs.Job job = held.jobs().get(jobId);
			if (job == null) {
				throw ToolFailure.badArguments("This conversation has no job '" + jobId + "'. Its jobs: "
						+ new TreeSet<>(held.jobs().ids()));
			}
			Sandbox sandbox = held.sandbox();
			// The exit code first: once it exists, the output file is complete.
			Integer exitCode = exitCode(sandbox, job);
			byte[] part = readFrom(sandbox, BackgroundJobs.outputPath(job.id()), offset, limit + 1);
			boolean more = part.length > limit;
			int length = more ? Utf8.wholeCharacters(part, limit) : part.length;
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("job_id", job.id());
			result.put("running", exitCode == null);
			if (exitCode != null) {
				result.put("exit_code", exitCode);
			}
			result.put("output", new String(part, 0, length, StandardCharsets.UTF_8));
			result.put("next_offset", offset + length);
			if (more) {
				result.put("truncated", true);
				result.put("note", "There is more output. Read it with offset=" + (offset + length) + ".");
			}
			return result;
		};
	}

	private static @Nullable Integer exitCode(Sandbox sandbox, BackgroundJobs.Job job) {
		String path = BackgroundJobs.exitCodePath(job.id());
		if (!sandbox.exists(path)) {
			return null;
		}
		String text = new String(sandbox.readFile(path), StandardCharsets.UTF_8).strip();
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			// Being written at this very moment: report it as still running, the next read sees the code.
			return null;
		}
	}

	private static byte[] readFrom(Sandbox sandbox, String path, long offset, int count) {
		try (InputStream in = sandbox.readFileStream(path)) {
			in.skipNBytes(offset);
			return in.readNBytes(count);
		}
		catch (EOFException ex) {
			// Nothing past the offset (yet).
			return new byte[0];
		}
		catch (NotFoundException ex) {
			// The wrapper's shell has not opened it yet.
			return new byte[0];
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading " + path + " failed: " + ex.getMessage(), ex);
		}
	}

}
