package dev.sandboxer.ai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code read_file}: a text file, from an offset, up to the output limit. The file is streamed: a huge file costs
 * what is returned, not its size.
 */
final class ReadFileTool extends SandboxToolCallback {

	ReadFileTool(ToolEnvironment environment) {
		super(environment, SandboxTool.READ_FILE, description(environment.settings()), schema());
	}

	private static String description(SandboxToolsSettings settings) {
		return "Reads a text file from this conversation's sandbox. Returns up to " + settings.maxOutputChars()
				+ " bytes of it as content; when the file is longer, the result says truncated=true and gives "
				+ "next_offset, to pass as offset to read the next part. Binary files are refused: inspect them with "
				+ "run_command (for example with od or base64).";
	}

	private static ToolSchema schema() {
		return new ToolSchema().requiredString("path", "The absolute path of the file, for example /etc/os-release.")
			.optionalInteger("offset", 0, Long.MAX_VALUE, "The byte to start reading at. Defaults to 0, the start.");
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		String path = arguments.requiredText("path");
		Long offsetArgument = arguments.optionalWholeNumber("offset", 0, Long.MAX_VALUE);
		long offset = (offsetArgument != null) ? offsetArgument : 0;
		int limit = this.environment.settings().maxOutputChars();
		return (held) -> {
			byte[] part;
			boolean more;
			try (InputStream in = held.sandbox().readFileStream(path)) {
				in.skipNBytes(offset);
				part = in.readNBytes(limit + 1);
				more = part.length > limit;
			}
			catch (EOFException ex) {
				throw ToolFailure.badArguments("The offset " + offset + " is past the end of " + path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Reading " + path + " failed: " + ex.getMessage(), ex);
			}
			int length = more ? Utf8.wholeCharacters(part, limit) : part.length;
			for (int i = 0; i < length; i++) {
				if (part[i] == 0) {
					throw new ToolFailure("binary_file", path + " holds binary data, not text. Inspect it with "
							+ "run_command instead, for example: od -c " + path + " | head");
				}
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("path", path);
			result.put("offset", offset);
			result.put("content", new String(part, 0, length, StandardCharsets.UTF_8));
			if (more) {
				result.put("truncated", true);
				result.put("next_offset", offset + length);
				result.put("note", "The file goes on. Read the next part with offset=" + (offset + length) + ".");
			}
			return result;
		};
	}

}
