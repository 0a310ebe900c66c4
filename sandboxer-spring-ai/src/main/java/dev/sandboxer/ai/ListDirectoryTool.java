package dev.sandboxer.ai;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.sandboxer.model.FileInfo;

/** {@code list_directory}: the entries of a directory, by name, bounded. */
final class ListDirectoryTool extends SandboxToolCallback {

	/** A listing longer than this is cut: a model gains nothing from ten thousand names. */
	static final int MAX_ENTRIES = 500;

	ListDirectoryTool(ToolEnvironment environment) {
		super(environment, SandboxTool.LIST_DIRECTORY, "Lists a directory of this conversation's sandbox: the name, "
				+ "type (file or dir) and size in bytes of each entry, dotfiles included, sorted by name. At most "
				+ MAX_ENTRIES + " entries are returned; use run_command with find or ls for more.",
				new ToolSchema().requiredString("path", "The absolute path of the directory, for example /tmp."));
	}

	@Override
	Function<ConversationSandbox, Map<String, Object>> prepare(ToolArguments arguments) {
		String path = arguments.requiredText("path");
		return (held) -> {
			List<FileInfo> listing = new ArrayList<>(held.sandbox().listDirectory(path));
			listing.sort(Comparator.comparing(FileInfo::name));
			List<Map<String, Object>> entries = new ArrayList<>();
			for (FileInfo info : listing.subList(0, Math.min(listing.size(), MAX_ENTRIES))) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("name", info.name());
				entry.put("type", info.isDir() ? "dir" : "file");
				entry.put("size", info.size());
				entries.add(entry);
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("path", path);
			result.put("entries", entries);
			if (listing.size() > MAX_ENTRIES) {
				result.put("truncated", true);
				result.put("note", "The directory has " + listing.size() + " entries; only the first " + MAX_ENTRIES
						+ " by name are shown.");
			}
			return result;
		};
	}

}
