package dev.sandboxer.provider.blaxel;

/**
 * One word for a POSIX shell, strictly single-quoted: sandbox-api runs every command as {@code sh -c <command>},
 * so the provider's own housekeeping commands quote every value they carry and interpolate nothing.
 */
final class ShellWord {

	private ShellWord() {
	}

	static String quote(String word) {
		if (word.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("A shell word cannot hold a NUL character");
		}
		return "'" + word.replace("'", "'\"'\"'") + "'";
	}

}
