package dev.sandboxer.ai;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** {@code write_file}: a text file, written whole, its directories made. */
final class WriteFileTool extends SandboxToolCallback {

	WriteFileTool(ToolEnvironment environment) {
		super(environment, SandboxTool.WRITE_FILE, "Writes a text file in this conversation's sandbox, replacing it "
				+ "if it exists and creating its directories. Use it for source files, scripts and configuration "
				+ "instead of echo or heredocs in run_command: the content is written exactly as given, with no shell "
				+ "quoting to get wrong.",
				new ToolSchema().requiredString("path", "The absolute path of the file, for example /work/app.py.")
					.requiredString("content", "The whole text of the file, UTF-8."));
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		String path = arguments.requiredText("path");
		byte[] content = arguments.requiredString("content").getBytes(StandardCharsets.UTF_8);
		return (held) -> {
			held.sandbox().writeFile(path, content);
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("path", path);
			result.put("bytes_written", content.length);
			return result;
		};
	}

}
