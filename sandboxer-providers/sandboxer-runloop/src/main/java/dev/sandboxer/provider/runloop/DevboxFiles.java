package dev.sandboxer.provider.runloop;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.DownloadBody;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.provider.runloop.RunloopJson.DownloadFile;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Files of one devbox. Contents move through Runloop's binary endpoints, {@code download_file} (octet-stream) and
 * {@code upload_file} (multipart {@code path} + {@code file}), never the UTF-8 text ones, so any bytes round-trip and
 * large files stream both ways. Runloop has no endpoint to list, make, remove or test paths: those run GNU
 * {@code find}, {@code mkdir}, {@code rm} and {@code test} through the exec API, every path a single-quoted word
 * (see {@link ShellCommand}). Relative paths are relative to the devbox user's home, for both kinds alike.
 */
final class DevboxFiles {

	/** The exit code the path tests below use for "no such path". */
	static final int MISSING = 3;


	private final VendorHttpClient http;

	private final URI baseUrl;

	private final String apiKey;

	private final String devboxId;

	private final Shell shell;

	/** Runs a command line in the devbox for these emulations. */
	@FunctionalInterface
	interface Shell {

		Mono<CommandResult> run(String line, String operation);

	}

	DevboxFiles(VendorHttpClient http, URI baseUrl, String apiKey, String devboxId, Shell shell) {
		this.http = http;
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
		this.devboxId = devboxId;
		this.shell = shell;
	}

	CompletableFuture<byte[]> read(String path) {
		return download(path).flatMap(DownloadBody::bytes).toFuture();
	}

	/** Completes when Runloop starts answering; the stream then delivers the file as it arrives. */
	CompletableFuture<InputStream> readStream(String path) {
		return download(path).map(DownloadBody::stream)
			.toFuture();
	}

	/**
	 * Makes the parent directory, uploads (the content publisher is subscribed to once), then applies the mode and
	 * owner, which {@code upload_file} does not take.
	 */
	Mono<Void> write(String path, Flux<DataBuffer> content, @Nullable Integer mode, @Nullable String user) {
		String parent = parentOf(path);
		Mono<Void> before = (parent != null) ? check(this.shell.run("mkdir -p -- " + ShellCommand.quote(parent),
				"writeFile"), "writeFile", "mkdir -p " + parent) : Mono.empty();
		MultipartBodyBuilder parts = new MultipartBodyBuilder();
		parts.part("path", path);
		parts.asyncPart("file", content, DataBuffer.class)
			.filename(fileName(path))
			.contentType(MediaType.APPLICATION_OCTET_STREAM);
		Mono<Void> upload = call(this.http.post(uri("/upload_file")), "writeFile").multipartBody(parts.build())
			.discard();
		List<String> after = new ArrayList<>(2);
		if (mode != null) {
			after.add("chmod -- " + ShellCommand.quote(Integer.toOctalString(mode & 07777)) + " "
					+ ShellCommand.quote(path));
		}
		if (user != null) {
			after.add("sudo -n chown -- " + ShellCommand.quote(user) + " " + ShellCommand.quote(path));
		}
		Mono<Void> fixUp = after.isEmpty() ? Mono.empty()
				: check(this.shell.run(String.join(" && ", after), "writeFile"), "writeFile",
						"setting the mode or owner");
		return before.then(upload).then(fixUp);
	}

	/** The entries of a directory, dotfiles included, read in one {@code find} with NUL-separated records. */
	CompletableFuture<List<FileInfo>> list(String path) {
		String dir = ShellCommand.quote(safe(path));
		String line = "[ -d " + dir + " ] || exit " + MISSING + "; find " + dir
				+ " -mindepth 1 -maxdepth 1 -printf '%y %s %m %f\\0'";
		return this.shell.run(line, "listDirectory").map((result) -> {
			requireFound(result, path, "listDirectory");
			requireSuccess(result, "listDirectory", "find");
			String base = path.endsWith("/") ? path : path + "/";
			List<FileInfo> entries = new ArrayList<>();
			for (String record : result.stdout().split("\0")) {
				String[] fields = record.split(" ", 4);
				if (fields.length < 4) {
					continue;
				}
				long size = parseLong(fields[1], 10);
				Integer mode = (int) parseLong(fields[2], 8);
				entries.add(new FileInfo(fields[3], base + fields[3], "d".equals(fields[0]), size, mode));
			}
			return entries;
		}).toFuture();
	}

	CompletableFuture<Void> makeDir(String path) {
		return check(this.shell.run("mkdir -p -- " + ShellCommand.quote(path), "makeDir"), "makeDir", "mkdir -p")
			.toFuture();
	}

	/** Removes a file or a whole directory; a path that is not there is {@link NotFoundException}. */
	CompletableFuture<Void> remove(String path) {
		String quoted = ShellCommand.quote(path);
		String line = "{ [ -e " + quoted + " ] || [ -L " + quoted + " ]; } || exit " + MISSING + "; rm -rf -- "
				+ quoted;
		return this.shell.run(line, "remove").flatMap((result) -> {
			requireFound(result, path, "remove");
			requireSuccess(result, "remove", "rm -rf");
			return Mono.<Void>empty();
		}).toFuture();
	}

	/** True for a file, a directory or a link (even a dangling one). */
	CompletableFuture<Boolean> exists(String path) {
		String quoted = ShellCommand.quote(path);
		return this.shell.run("[ -e " + quoted + " ] || [ -L " + quoted + " ]", "exists").map((result) -> {
			if (result.exitCode() == 0 || result.exitCode() == 1) {
				return result.exitCode() == 0;
			}
			throw failure("exists", "test", result);
		}).toFuture();
	}

	private Mono<Flux<DataBuffer>> download(String path) {
		return call(this.http.post(uri("/download_file")), "readFile").safeToRepeat()
			.header(HttpHeaders.ACCEPT, MediaType.APPLICATION_OCTET_STREAM_VALUE)
			.jsonBody(new DownloadFile(path))
			.stream()
			.map((answer) -> answer.body());
	}

	private Mono<Void> check(Mono<CommandResult> run, String operation, String what) {
		return run.flatMap((result) -> (result.exitCode() == 0) ? Mono.<Void>empty()
				: Mono.error(failure(operation, what, result)));
	}

	private void requireFound(CommandResult result, String path, String operation) {
		if (result.exitCode() == MISSING) {
			throw new NotFoundException(RunloopSettings.PROVIDER,
					"runloop " + operation + ": no such path in devbox " + this.devboxId + ": " + path);
		}
	}

	private void requireSuccess(CommandResult result, String operation, String what) {
		if (result.exitCode() != 0) {
			throw failure(operation, what, result);
		}
	}

	private ProviderException failure(String operation, String what, CommandResult result) {
		return new ProviderException(RunloopSettings.PROVIDER, "runloop " + operation + ": " + what + " failed with exit code "
				+ result.exitCode() + ": " + result.stderr().strip());
	}

	/** A path that starts with {@code -} would be read by {@code find} as an option; {@code ./} keeps it a path. */
	private static String safe(String path) {
		return path.startsWith("-") ? "./" + path : path;
	}

	private static @Nullable String parentOf(String path) {
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		int slash = trimmed.lastIndexOf('/');
		if (slash <= 0) {
			return null;
		}
		return trimmed.substring(0, slash);
	}

	private static String fileName(String path) {
		int slash = path.lastIndexOf('/');
		String name = (slash >= 0) ? path.substring(slash + 1) : path;
		return name.isEmpty() ? "file" : name;
	}

	private static long parseLong(String text, int radix) {
		try {
			return Long.parseLong(text, radix);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private HttpCall call(HttpCall call, String operation) {
		return call.operation(operation).secretHeader(HttpHeaders.AUTHORIZATION, "Bearer " + this.apiKey);
	}

	private URI uri(String suffix) {
		return UriComponentsBuilder.fromUri(this.baseUrl)
			.path("/v1/devboxes/{id}" + suffix)
			.encode()
			.buildAndExpand(this.devboxId)
			.toUri();
	}

}
