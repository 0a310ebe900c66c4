package dev.sandboxer.provider.blaxel;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.DownloadBody;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.model.FileInfo;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;

/**
 * Files through sandbox-api's {@code /filesystem/{path}} (blaxel-ai/sandbox {@code handler/filesystem.go}):
 * <ul>
 * <li>Reads ask for {@code application/octet-stream}, which streams the raw bytes of a file with a
 * {@code Content-Disposition: attachment}. A directory is answered with its JSON listing whatever is asked, so an
 * answer without that header is a directory: {@code readFile} refuses it and {@code listDirectory} reads it. The JSON
 * form of a file ({@code content} as text) is never used, since it cannot carry binary data.</li>
 * <li>Writes are {@code multipart/form-data}: a {@code permissions} field (octal) first, because the server applies
 * it to the file part that follows, then the {@code file} part with a file name, streamed to disk as it arrives;
 * parent directories are created by the server.</li>
 * <li>sandbox-api has no per-call user, so a write {@code user} is applied with {@code chown} afterwards, through the
 * process API with both words strictly single-quoted.</li>
 * </ul>
 */
final class BlaxelFiles {


	private final SandboxApi api;

	private final BlaxelProcesses processes;

	BlaxelFiles(SandboxApi api, BlaxelProcesses processes) {
		this.api = api;
		this.processes = processes;
	}

	Mono<InputStream> readStream(String path) {
		return download(path, "readFile").map(DownloadBody::stream);
	}

	Mono<byte[]> read(String path) {
		return download(path, "readFile").flatMap(DownloadBody::bytes);
	}

	/** Uploads as the content is produced; the publisher is subscribed to once. */
	Mono<Void> write(String path, Flux<DataBuffer> content, @Nullable Integer mode, @Nullable String user) {
		MultipartBodyBuilder parts = new MultipartBodyBuilder();
		if (mode != null) {
			parts.part("permissions", String.format("%04o", mode & 07777));
		}
		parts.asyncPart("file", content, DataBuffer.class)
			.filename(fileName(path))
			.contentType(MediaType.APPLICATION_OCTET_STREAM);
		Mono<Void> upload = this.api.file(HttpMethod.PUT, path, "", "writeFile")
			.neverRepeat()
			.multipartBody(parts.build())
			.discard();
		return (user == null) ? upload : upload.then(this.processes.chown(user, path));
	}

	Mono<List<FileInfo>> list(String path) {
		return binary(path, "listDirectory").stream().flatMap((answer) -> {
			if (isFile(answer.headers())) {
				return answer.body().take(0).then(Mono.error(new ProviderException(BlaxelSettings.PROVIDER,
						"blaxel listDirectory: " + path + " is a file, not a directory", null, "not_a_directory", null)));
			}
			return DownloadBody.bytes(answer.body()).map((content) -> files(content, answer.status()));
		});
	}

	/** Creates the directory and its parents; one that exists already counts as made. */
	Mono<Void> makeDir(String path) {
		return this.api.file(HttpMethod.PUT, path, "", "makeDir")
			.safeToRepeat()
			.jsonBody(new BlaxelJson.FileRequest(Boolean.TRUE, null))
			.discard();
	}

	/** Removes a file, or a directory with everything in it. */
	Mono<Void> remove(String path) {
		return this.api.file(HttpMethod.DELETE, path, "?recursive=true", "remove").discard();
	}

	/** True for a file or a directory, false when sandbox-api answers 404; a file's content is not downloaded. */
	Mono<Boolean> exists(String path) {
		return binary(path, "exists").stream()
			.flatMap((answer) -> answer.body().take(0).then(Mono.just(Boolean.TRUE)))
			.onErrorResume(NotFoundException.class, (absent) -> Mono.just(Boolean.FALSE));
	}

	private Mono<Flux<DataBuffer>> download(String path, String operation) {
		return binary(path, operation).stream().flatMap((answer) -> {
			if (!isFile(answer.headers())) {
				return answer.body().doOnNext(DataBufferUtils::release).then(Mono.error(new ProviderException(
						BlaxelSettings.PROVIDER, "blaxel " + operation + ": " + path + " is a directory, not a file",
						null, "is_a_directory", null)));
			}
			return Mono.just(answer.body());
		});
	}

	private HttpCall binary(String path, String operation) {
		return this.api.file(HttpMethod.GET, path, "", operation)
			.header(HttpHeaders.ACCEPT, MediaType.APPLICATION_OCTET_STREAM_VALUE);
	}

	/** sandbox-api marks a file download, and only that, as an attachment. */
	private static boolean isFile(HttpHeaders headers) {
		return headers.getFirst(HttpHeaders.CONTENT_DISPOSITION) != null;
	}

	private List<FileInfo> files(byte[] content, int status) {
		BlaxelJson.Directory directory;
		try {
			directory = this.api.http().json().read(content, BlaxelJson.Directory.class);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.api.http().failures().malformedBody("listDirectory", status, String.valueOf(ex.getMessage()));
		}
		List<FileInfo> infos = new ArrayList<>();
		if (directory.files() != null) {
			for (BlaxelJson.FileEntry file : directory.files()) {
				String name = (file.name() != null) ? file.name() : "";
				infos.add(new FileInfo(name, (file.path() != null) ? file.path() : name, false,
						(file.size() != null) ? file.size() : 0L, mode(file.permissions())));
			}
		}
		if (directory.subdirectories() != null) {
			for (BlaxelJson.SubdirectoryEntry dir : directory.subdirectories()) {
				String name = (dir.name() != null) ? dir.name() : "";
				infos.add(new FileInfo(name, (dir.path() != null) ? dir.path() : name, true, 0L, null));
			}
		}
		return List.copyOf(infos);
	}

	/** The permission bits of a Go {@code FileMode} written in octal; its type bits (a symlink's) are dropped. */
	static @Nullable Integer mode(@Nullable String permissions) {
		if (permissions == null || permissions.isBlank()) {
			return null;
		}
		try {
			return (int) (Long.parseLong(permissions.strip(), 8) & 07777);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String fileName(String path) {
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		int slash = trimmed.lastIndexOf('/');
		String name = (slash >= 0) ? trimmed.substring(slash + 1) : trimmed;
		return name.isEmpty() ? "file" : name;
	}

}
