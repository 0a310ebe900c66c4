package dev.sandboxer.provider.fly;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.provider.fly.GuestExec.Outcome;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Files over {@code exec}, which carries text only: bytes travel base64-encoded, in {@value #CHUNK_BYTES}-byte
 * chunks (one exec each), so no request or answer grows with the file and a stream never holds more than one chunk.
 * Paths are made absolute ({@link GuestPath}) and passed as arguments, never as script text.
 * <p>
 * A write goes to a temporary file next to the target and is renamed over it by a last exec, which also applies
 * the mode and the owner: a failed upload never leaves a half-written file under the real name. The machine needs
 * {@code base64} (GNU coreutils or BusyBox); listing also uses {@code stat -c}.
 */
final class GuestFiles {

	static final int CHUNK_BYTES = 256 * 1024;

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	/** $1 path, $2 chunk size. Prints the size, a newline, then the first chunk in base64. */
	static final String READ_FIRST = """
			command -v base64 >/dev/null 2>&1 || exit 127
			[ -e "$1" ] || exit 44
			[ -d "$1" ] && exit 21
			[ -r "$1" ] || exit 13
			wc -c <"$1" | tr -d ' \\n'; echo
			dd if="$1" bs="$2" count=1 2>/dev/null | base64 | tr -d '\\n'
			""";

	/** $1 path, $2 chunk size, $3 chunk index. */
	static final String READ_CHUNK = """
			[ -e "$1" ] || exit 44
			dd if="$1" bs="$2" skip="$3" count=1 2>/dev/null | base64 | tr -d '\\n'
			""";

	/** $1 the temporary file, $2 its directory, $3 "new" or "append"; the chunk comes in base64 on stdin. */
	static final String WRITE_CHUNK = """
			command -v base64 >/dev/null 2>&1 || exit 127
			if [ "$3" = new ]; then
			  mkdir -p "$2" || exit 1
			  base64 -d >"$1" || exit 1
			else
			  [ -e "$1" ] || exit 44
			  base64 -d >>"$1" || exit 1
			fi
			""";

	/** $1 the temporary file, $2 the target, $3 the mode in octal (may be empty), $4 the owner (may be empty). */
	static final String COMMIT = """
			[ -e "$1" ] || exit 44
			[ -d "$2" ] && { rm -f "$1"; echo "$2 is a directory" >&2; exit 21; }
			if [ -n "$3" ]; then chmod "$3" "$1" || { rm -f "$1"; exit 1; }; fi
			if [ -n "$4" ]; then chown "$4" "$1" || { rm -f "$1"; exit 1; }; fi
			mv -f "$1" "$2"
			""";

	static final String ABORT = "rm -f \"$1\"";

	/**
	 * $1 the directory. One record per entry, dotfiles included: "type size mode/name" and a NUL (the one byte no
	 * name holds), all of it in base64 so that any name comes back exactly. No {@code ls} parsing: its output differs
	 * between BusyBox and GNU and escapes names.
	 */
	static final String LIST = """
			command -v base64 >/dev/null 2>&1 || exit 127
			cd "$1" 2>/dev/null || { [ -e "$1" ] && exit 20; exit 44; }
			for f in * .[!.]* ..?*; do
			  [ -e "$f" ] || [ -L "$f" ] || continue
			  if [ -d "$f" ]; then t=d; else t=f; fi
			  m=$(stat -L -c '%s %a' "./$f" 2>/dev/null) || m='- -'
			  printf '%s %s/%s\\0' "$t" "$m" "$f"
			done | base64 | tr -d '\\n'
			""";

	static final String MAKE_DIR = "mkdir -p \"$1\"";

	/** Exit 44: nothing there. */
	static final String REMOVE = """
			[ -e "$1" ] || [ -L "$1" ] || exit 44
			rm -rf "$1"
			""";

	/** Exit 0: something is there (a dangling link counts). */
	static final String EXISTS = "[ -e \"$1\" ] || [ -L \"$1\" ]";

	private final String machineId;

	private final GuestExec exec;

	private final Duration timeout;

	GuestFiles(String machineId, GuestExec exec, Duration timeout) {
		this.machineId = machineId;
		this.exec = exec;
		this.timeout = timeout;
	}

	Mono<byte[]> read(String path) {
		return open(path).publishOn(Schedulers.boundedElastic()).map((stream) -> {
			try (InputStream in = stream) {
				return in.readAllBytes();
			}
			catch (IOException ex) {
				throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER + " readFile: " + ex.getMessage());
			}
		});
	}

	/** The stream holds one chunk at a time and asks for the next when it is read to its end. */
	Mono<InputStream> open(String path) {
		String absolute = GuestPath.of(path);
		return script(READ_FIRST, List.of(absolute, Integer.toString(CHUNK_BYTES)), null, "readFile")
			.map((outcome) -> {
				check(outcome, absolute, "readFile");
				int newline = outcome.stdout().indexOf('\n');
				if (newline < 0) {
					throw malformed("readFile", absolute);
				}
				long size = parseSize(outcome.stdout().substring(0, newline), absolute);
				byte[] first = decode(outcome.stdout().substring(newline + 1), "readFile", absolute);
				return (InputStream) new ChunkedStream(absolute, size, first);
			});
	}

	Mono<Void> write(String path, byte[] content, @Nullable Integer mode, @Nullable String user) {
		return write(path, new java.io.ByteArrayInputStream(content), mode, user);
	}

	/** Chunks are read from the stream (off the event loop) and sent one exec at a time. */
	Mono<Void> write(String path, InputStream content, @Nullable Integer mode, @Nullable String user) {
		String absolute = GuestPath.of(path);
		if (absolute.equals("/")) {
			return Mono.error(new ProviderException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + " writeFile: '/' is a directory"));
		}
		String owner = (user != null) ? ShellWords.user(user) : "";
		String directory = GuestPath.parent(absolute);
		String temporary = GuestPath.child(directory,
				".sandboxer-upload-" + UUID.randomUUID().toString().replace("-", ""));
		String octal = (mode != null) ? Integer.toOctalString(mode & 07777) : "";
		Mono<Void> upload = sendChunks(content, temporary, directory, absolute, true)
			.then(Mono.defer(() -> script(COMMIT, List.of(temporary, absolute, octal, owner), null, "writeFile")))
			.doOnNext((outcome) -> check(outcome, absolute, "writeFile"))
			.then();
		return upload.onErrorResume((error) -> script(ABORT, List.of(temporary), null, "writeFile")
			.onErrorResume((ignored) -> Mono.empty())
			.then(Mono.error(error)));
	}

	private Mono<Void> sendChunks(InputStream content, String temporary, String directory, String absolute,
			boolean first) {
		return Mono.fromCallable(() -> content.readNBytes(CHUNK_BYTES))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(IOException.class, (ex) -> new ProviderException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + " writeFile: reading the content to upload failed: " + ex.getMessage()))
			.flatMap((chunk) -> {
				if (chunk.length == 0 && !first) {
					return Mono.empty();
				}
				return script(WRITE_CHUNK, List.of(temporary, directory, first ? "new" : "append"),
						ENCODER.encodeToString(chunk), "writeFile")
					.doOnNext((outcome) -> check(outcome, absolute, "writeFile"))
					.then((chunk.length < CHUNK_BYTES) ? Mono.<Void>empty()
							: Mono.defer(() -> sendChunks(content, temporary, directory, absolute, false)));
			});
	}

	Mono<List<FileInfo>> list(String path) {
		String absolute = GuestPath.of(path);
		return script(LIST, List.of(absolute), null, "listDirectory").map((outcome) -> {
			if (outcome.exitCode() == 20) {
				throw new ProviderException(FlySettings.PROVIDER,
						FlySettings.PROVIDER + " listDirectory: " + absolute + " is not a directory", null,
						"not_a_directory", null);
			}
			check(outcome, absolute, "listDirectory");
			return entries(absolute, decode(outcome.stdout(), "listDirectory", absolute));
		});
	}

	Mono<Void> makeDir(String path) {
		String absolute = GuestPath.of(path);
		return script(MAKE_DIR, List.of(absolute), null, "makeDir")
			.doOnNext((outcome) -> check(outcome, absolute, "makeDir"))
			.then();
	}

	Mono<Void> remove(String path) {
		String absolute = GuestPath.of(path);
		return script(REMOVE, List.of(absolute), null, "remove")
			.doOnNext((outcome) -> check(outcome, absolute, "remove"))
			.then();
	}

	Mono<Boolean> exists(String path) {
		String absolute = GuestPath.of(path);
		return script(EXISTS, List.of(absolute), null, "exists").map((outcome) -> outcome.exitCode() == 0);
	}

	/** Parses "type size mode/name\0" records; a name is everything after the first '/'. */
	static List<FileInfo> entries(String directory, byte[] listing) {
		List<FileInfo> entries = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < listing.length; i++) {
			if (listing[i] != 0) {
				continue;
			}
			String record = new String(listing, start, i - start, StandardCharsets.UTF_8);
			start = i + 1;
			int slash = record.indexOf('/');
			if (slash < 0) {
				continue;
			}
			String name = record.substring(slash + 1);
			String[] head = record.substring(0, slash).split(" ");
			if (name.isEmpty() || head.length < 3) {
				continue;
			}
			boolean isDir = head[0].equals("d");
			long size = head[1].matches("[0-9]{1,18}") ? Long.parseLong(head[1]) : 0;
			Integer mode = head[2].matches("[0-7]{1,6}") ? Integer.parseInt(head[2], 8) : null;
			entries.add(new FileInfo(name, GuestPath.child(directory, name), isDir, size, mode));
		}
		return entries;
	}

	private Mono<Outcome> script(String script, List<String> args, @Nullable String stdin, String operation) {
		return this.exec.run(this.machineId, script, args, null, stdin, this.timeout, operation);
	}

	private void check(Outcome outcome, String path, String operation) {
		switch (outcome.exitCode()) {
			case 0 -> {
			}
			case 44 -> throw new NotFoundException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + " " + operation + ": no such file or directory: " + path);
			case 21 -> throw new ProviderException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + " " + operation + ": " + path + " is a directory", null, "is_a_directory",
					null);
			case 13 -> throw new ProviderException(FlySettings.PROVIDER,
					FlySettings.PROVIDER + " " + operation + ": permission denied: " + path, null,
					"permission_denied", null);
			case 127 -> throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER + " " + operation
					+ ": the machine's image lacks a tool this needs (base64, stat or dd from coreutils or BusyBox): "
					+ outcome.stderr().strip(), null, "missing_tool", null);
			default -> throw new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER + " " + operation
					+ " of " + path + " failed (exit " + outcome.exitCode() + "): " + outcome.stderr().strip());
		}
	}

	private static long parseSize(String text, String path) {
		try {
			return Long.parseLong(text.strip());
		}
		catch (NumberFormatException ex) {
			throw malformed("readFile", path);
		}
	}

	private static byte[] decode(String base64, String operation, String path) {
		try {
			return Base64.getMimeDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw malformed(operation, path);
		}
	}

	private static ProviderException malformed(String operation, String path) {
		return new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER + " " + operation + " of " + path
				+ ": the machine's answer is not what the script prints");
	}

	/**
	 * Reads a file chunk after chunk as it is consumed. Blocks the reading thread while a chunk travels; failures
	 * surface as the typed exceptions, unchecked.
	 */
	private final class ChunkedStream extends InputStream {

		private final String path;

		private final long size;

		private byte[] chunk;

		private int position;

		private long delivered;

		private int nextIndex = 1;

		private boolean closed;

		ChunkedStream(String path, long size, byte[] first) {
			this.path = path;
			this.size = size;
			this.chunk = first;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (this.closed) {
				throw new IOException("The stream of " + this.path + " is closed");
			}
			if (length == 0) {
				return 0;
			}
			if (this.position >= this.chunk.length && !fetch()) {
				return -1;
			}
			int n = Math.min(length, this.chunk.length - this.position);
			System.arraycopy(this.chunk, this.position, target, offset, n);
			this.position += n;
			this.delivered += n;
			return n;
		}

		/** The next chunk; false at the end (the size read at open, or a short chunk if the file shrank). */
		private boolean fetch() {
			if (this.delivered >= this.size || this.chunk.length < CHUNK_BYTES) {
				return false;
			}
			// A typed failure (SandboxerException) leaves block() as it is.
			Outcome outcome = script(READ_CHUNK,
					List.of(this.path, Integer.toString(CHUNK_BYTES), Integer.toString(this.nextIndex)), null,
					"readFile")
				.block();
			if (outcome == null) {
				return false;
			}
			check(outcome, this.path, "readFile");
			this.chunk = decode(outcome.stdout(), "readFile", this.path);
			this.position = 0;
			this.nextIndex++;
			return this.chunk.length > 0;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
