package dev.sandboxer.provider.daytona;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.DownloadBody;
import dev.sandboxer.model.FileInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Files through the toolbox, every path as the {@code path} query value (swagger at b5a5d9e7):
 * {@code GET /files/download} (octet-stream, streamed), {@code POST /files/upload} (multipart {@code file} part with a
 * filename; the daemon's gin 1.10 creates parent directories), {@code POST /files/permissions} for a mode or an
 * owner after a write, {@code GET /files} to list, {@code POST /files/folder} with an octal {@code mode},
 * {@code DELETE /files?recursive=true}, {@code GET /files/info} for {@code exists}.
 * <p>
 * The daemon answers a missing path with a bare 404: its file handlers abort with the status before the error
 * middleware could write a body. A sandbox that is gone is answered by the layers in front of it instead, always with
 * common-go's JSON error body: the runner says 404 {@code {"code":"NOT_FOUND","message":"not found: sandbox container
 * not found: ..."}} (apps/runner/pkg/api/controllers/proxy.go), and the proxy, once it no longer finds the sandbox,
 * 401 {@code {"code":"UNAUTHORIZED",...}} (apps/proxy/pkg/proxy/auth.go). So {@code exists} reads only a 404 without
 * a body as {@code false}; a 404 with a body is {@link NotFoundException} for the sandbox (and the 401 is told apart
 * from a bad key by {@link DaytonaSandbox#exists}).
 */
final class ToolboxFiles {


	private final Toolbox toolbox;

	ToolboxFiles(Toolbox toolbox) {
		this.toolbox = toolbox;
	}

	CompletableFuture<byte[]> read(String path) {
		return download(path).flatMap(DownloadBody::bytes).toFuture();
	}

	/** Completes when the toolbox starts answering; the stream then delivers the file as it arrives. */
	CompletableFuture<InputStream> readStream(String path) {
		return download(path).map(DownloadBody::stream)
			.toFuture();
	}

	/** Uploads as the content is produced (the publisher is subscribed to once), then sets the mode and owner. */
	Mono<Void> write(String path, Flux<DataBuffer> content, @Nullable Integer mode, @Nullable String user) {
		MultipartBodyBuilder parts = new MultipartBodyBuilder();
		parts.asyncPart("file", content, DataBuffer.class)
			.filename(fileName(path))
			.contentType(MediaType.APPLICATION_OCTET_STREAM);
		Mono<Void> upload = this.toolbox.call(HttpMethod.POST, "writeFile", "/files/upload", Map.of("path", path))
			.flatMap((call) -> call.multipartBody(parts.build()).discard());
		if (mode == null && user == null) {
			return upload;
		}
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("path", path);
		if (user != null) {
			query.put("owner", user);
		}
		if (mode != null) {
			query.put("mode", Integer.toOctalString(mode & 07777));
		}
		// Setting the same mode and owner twice does the same as once, so this may be repeated.
		return upload.then(this.toolbox.call(HttpMethod.POST, "writeFile", "/files/permissions", query)
			.flatMap((call) -> call.safeToRepeat().discard()));
	}

	CompletableFuture<List<FileInfo>> list(String path) {
		return this.toolbox.call(HttpMethod.GET, "listDirectory", "/files", Map.of("path", path))
			.flatMap((call) -> call.json(ToolboxJson.FileInfo[].class))
			.map((entries) -> java.util.Arrays.stream(entries).map((entry) -> fileInfo(entry, path)).toList())
			.toFuture();
	}

	/** {@code MkdirAll}: parents are made, and a directory that exists counts as made, so it may be repeated. */
	CompletableFuture<Void> makeDir(String path) {
		return this.toolbox.call(HttpMethod.POST, "makeDir", "/files/folder", Map.of("path", path, "mode", "755"))
			.flatMap((call) -> call.safeToRepeat().discard())
			.toFuture();
	}

	CompletableFuture<Void> remove(String path) {
		return this.toolbox.call(HttpMethod.DELETE, "remove", "/files", Map.of("path", path, "recursive", "true"))
			.flatMap((call) -> call.discard())
			.toFuture();
	}

	Mono<Boolean> exists(String path) {
		return this.toolbox.call(HttpMethod.GET, "exists", "/files/info", Map.of("path", path))
			.flatMap((call) -> call.errorReader(ToolboxFiles::missingPath).discard())
			.thenReturn(Boolean.TRUE)
			.onErrorResume(MissingPath.class, (error) -> Mono.just(Boolean.FALSE));
	}

	/** The daemon's own 404 for a path that is not there: no body at all. */
	private static @Nullable SandboxerException missingPath(String operation, int status, HttpHeaders headers,
			byte[] body) {
		return (status == 404 && new String(body, StandardCharsets.UTF_8).isBlank()) ? new MissingPath() : null;
	}

	private Mono<Flux<DataBuffer>> download(String path) {
		return this.toolbox.call(HttpMethod.GET, "readFile", "/files/download", Map.of("path", path))
			.flatMap((call) -> call.header("Accept", MediaType.APPLICATION_OCTET_STREAM_VALUE).stream())
			.map((answer) -> answer.body());
	}

	private static FileInfo fileInfo(ToolboxJson.FileInfo entry, String directory) {
		String name = (entry.name() != null) ? entry.name() : "";
		String path = (directory.endsWith("/") ? directory : directory + "/") + name;
		return new FileInfo(name, path, Boolean.TRUE.equals(entry.isDir()), (entry.size() != null) ? entry.size() : 0L,
				mode(entry.permissions()));
	}

	private static @Nullable Integer mode(@Nullable String permissions) {
		if (permissions == null || permissions.isBlank()) {
			return null;
		}
		try {
			return Integer.parseInt(permissions.strip(), 8) & 07777;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** A path the daemon did not find in a sandbox that is there. */
	private static final class MissingPath extends NotFoundException {

		MissingPath() {
			super(DaytonaSettings.PROVIDER, "daytona exists: no such path");
		}

	}

	/** The multipart filename: the daemon saves to the query's path and ignores it, but requires one. */
	private static String fileName(String path) {
		int slash = path.lastIndexOf('/');
		String name = (slash >= 0) ? path.substring(slash + 1) : path;
		return name.isEmpty() ? "file" : name;
	}

}
