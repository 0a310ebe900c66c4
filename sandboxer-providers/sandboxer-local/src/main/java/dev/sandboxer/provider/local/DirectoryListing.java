package dev.sandboxer.provider.local;

import java.util.ArrayList;
import java.util.List;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;

/**
 * Lists a directory with one process, on BusyBox as on GNU userlands.
 * <p>
 * The script gets the directory as {@code $1} (never inside its text), globs the entries itself, dotfiles
 * included, and prints first their names, each ended by NUL (the one byte a name cannot hold), then one more NUL,
 * then a single {@code stat -c '%f %s %n'} over all of them. {@code stat} prints names raw, so a name with a newline
 * would make its lines ambiguous on their own; the NUL-separated names, known in advance and in the same order, tell
 * where each {@code stat} record ends. An entry that vanished between the glob and {@code stat} is skipped.
 * Entries are described as they are ({@code lstat}): a symbolic link to a directory is not a directory.
 */
final class DirectoryListing {

	static final String SCRIPT = """
			[ -e "$1" ] || [ -L "$1" ] || exit 3
			[ -d "$1" ] || exit 4
			cd "$1" || exit 5
			set --
			for f in * .[!.]* ..?*; do
			  if [ -e "$f" ] || [ -L "$f" ]; then set -- "$@" "$f"; fi
			done
			[ "$#" -gt 0 ] || exit 0
			printf '%s\\0' "$@"
			printf '\\0'
			exec stat -c '%f %s %n' -- "$@"
			""";

	private static final int S_IFMT = 0170000;

	private static final int S_IFDIR = 0040000;

	private DirectoryListing() {
	}

	/** The entries, from the script's outcome. */
	static List<FileInfo> parse(ContainerPath directory, ExecOutcome outcome, String sandbox) {
		switch (outcome.exitCode()) {
			case 3 -> throw new NotFoundException(EngineErrors.PROVIDER,
					"No directory at '" + directory + "' in " + sandbox);
			case 4 -> throw new ProviderException(EngineErrors.PROVIDER,
					"'" + directory + "' in " + sandbox + " is not a directory", null, "not-a-directory", null);
			case 5 -> throw new ProviderException(EngineErrors.PROVIDER,
					"Cannot enter '" + directory + "' in " + sandbox + ": " + outcome.stderr().strip(), null,
					"permission-denied", null);
			default -> {
				// 0, or stat's 1 when an entry vanished: what was printed is still good.
			}
		}
		String out = outcome.stdout();
		if (out.isEmpty()) {
			return List.of();
		}
		int end = out.indexOf("\0\0");
		if (end < 0) {
			throw new ProviderException(EngineErrors.PROVIDER, "Unexpected listing of '" + directory + "' in " + sandbox
					+ " (exit " + outcome.exitCode() + "): " + outcome.stderr().strip());
		}
		String[] names = out.substring(0, end).split("\0");
		String records = out.substring(end + 2);
		List<FileInfo> entries = new ArrayList<>(names.length);
		int position = 0;
		for (String name : names) {
			Record record = Record.at(records, position, name);
			if (record == null) {
				continue;
			}
			position = record.next();
			boolean isDir = (record.rawMode() & S_IFMT) == S_IFDIR;
			entries.add(new FileInfo(name, directory.child(name).value(), isDir, record.size(),
					record.rawMode() & 07777));
		}
		if (entries.isEmpty() && names.length > 0 && outcome.exitCode() != 0) {
			throw new ProviderException(EngineErrors.PROVIDER, "Could not describe the entries of '" + directory
					+ "' in " + sandbox + ": " + outcome.stderr().strip());
		}
		return entries;
	}

	/** One {@code "<hex mode> <size> <name>\n"} record of {@code stat}. */
	private record Record(int rawMode, long size, int next) {

		/** The record for {@code name} at {@code position}, or {@code null} when the text there is another's. */
		static Record at(String text, int position, String name) {
			int space = text.indexOf(' ', position);
			if (space < 0) {
				return null;
			}
			int second = text.indexOf(' ', space + 1);
			if (second < 0 || !text.startsWith(name + "\n", second + 1)) {
				return null;
			}
			try {
				int rawMode = Integer.parseInt(text.substring(position, space), 16);
				long size = Long.parseLong(text.substring(space + 1, second));
				return new Record(rawMode, size, second + 1 + name.length() + 1);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
