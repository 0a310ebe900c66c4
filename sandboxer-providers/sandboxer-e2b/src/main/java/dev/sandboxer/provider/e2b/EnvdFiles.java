package dev.sandboxer.provider.e2b;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.error.FileTooLargeException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.DownloadBody;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.provider.e2b.EnvdJson.Empty;
import dev.sandboxer.provider.e2b.EnvdJson.EntryInfo;
import dev.sandboxer.provider.e2b.EnvdJson.ListDirRequest;
import dev.sandboxer.provider.e2b.EnvdJson.ListDirResponse;
import dev.sandboxer.provider.e2b.EnvdJson.PathRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;

/**
 * Files through envd: contents over {@code GET}/{@code POST /files} (envd's OpenAPI: {@code path} and
 * {@code username} as query parameters, the upload as {@code multipart/form-data} with a {@code file} part, parent
 * directories created), everything else through the {@code filesystem.Filesystem} service ({@code ListDir},
 * {@code MakeDir}, {@code Remove}, {@code Stat}). Contents stream both ways; nothing holds a whole file except
 * {@code read}, which is asked to.
 */
final class EnvdFiles {

	static final String LIST_DIR = "filesystem.Filesystem/ListDir";

	static final String MAKE_DIR = "filesystem.Filesystem/MakeDir";

	static final String REMOVE = "filesystem.Filesystem/Remove";

	static final String STAT = "filesystem.Filesystem/Stat";

	static final String DIRECTORY = "FILE_TYPE_DIRECTORY";

	/** The largest array the JVM reliably allocates. */
	private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;


	private final Envd envd;

	EnvdFiles(Envd envd) {
		this.envd = envd;
	}

	/** Completes when envd starts answering; the stream then delivers the file as it arrives. */
	CompletableFuture<InputStream> readStream(String path) {
		return download(path, "readFile")
			.map(DownloadBody::stream)
			.toFuture();
	}

	CompletableFuture<byte[]> read(String path) {
		return read(path, MAX_ARRAY_BYTES);
	}

	/** Stops reading, and fails, once the file passes {@code maxBytes}: a larger file is never held whole. */
	CompletableFuture<byte[]> read(String path, long maxBytes) {
		int limit = (int) Math.min(maxBytes, MAX_ARRAY_BYTES);
		return download(path, "readFile").flatMap((body) -> DownloadBody.bytes(body, limit))
			.onErrorMap(DataBufferLimitException.class,
					(error) -> new FileTooLargeException(E2bSettings.PROVIDER, path, limit))
			.toFuture();
	}

	/** Uploads as the content is produced; the publisher is subscribed to once. */
	Mono<Void> write(String path, Flux<DataBuffer> content, @Nullable String user) {
		MultipartBodyBuilder parts = new MultipartBodyBuilder();
		parts.asyncPart("file", content, DataBuffer.class)
			.filename(path)
			.contentType(MediaType.APPLICATION_OCTET_STREAM);
		return this.envd.files(HttpMethod.POST, path, user, "writeFile").multipartBody(parts.build()).discard();
	}

	CompletableFuture<List<FileInfo>> list(String path) {
		return this.envd
			.unary(LIST_DIR, "listDirectory", null, new ListDirRequest(path, 1), ListDirResponse.class, true)
			.map((response) -> (response.entries() != null) ? response.entries() : List.<EntryInfo>of())
			.map((entries) -> entries.stream().map((entry) -> fileInfo(entry, path)).toList())
			.toFuture();
	}

	/** Creates the directory and its parents; one that exists already counts as made. */
	CompletableFuture<Void> makeDir(String path) {
		return this.envd.unary(MAKE_DIR, "makeDir", null, new PathRequest(path), Empty.class, true)
			.then()
			.onErrorResume(ProviderException.class,
					(error) -> "already_exists".equals(error.code().orElse(null)) ? Mono.empty() : Mono.error(error))
			.toFuture();
	}

	CompletableFuture<Void> remove(String path) {
		return this.envd.unary(REMOVE, "remove", null, new PathRequest(path), Empty.class, false).then().toFuture();
	}

	/** True for a file or a directory; false when envd says the path is not there. A sandbox that is gone fails. */
	CompletableFuture<Boolean> exists(String path) {
		return this.envd.unary(STAT, "exists", null, new PathRequest(path), Empty.class, true)
			.thenReturn(Boolean.TRUE)
			.onErrorResume((error) -> error instanceof NotFoundException && !(error instanceof SandboxGoneException),
					(error) -> Mono.just(Boolean.FALSE))
			.toFuture();
	}

	private Mono<Flux<DataBuffer>> download(String path, String operation) {
		return this.envd.files(HttpMethod.GET, path, null, operation)
			.header("Accept", MediaType.APPLICATION_OCTET_STREAM_VALUE)
			.stream()
			.map((answer) -> answer.body());
	}

	private static FileInfo fileInfo(EntryInfo entry, String directory) {
		String name = (entry.name() != null) ? entry.name() : "";
		String path = (entry.path() != null) ? entry.path()
				: (directory.endsWith("/") ? directory : directory + "/") + name;
		Integer mode = (entry.mode() != null) ? (entry.mode() & 07777) : null;
		return new FileInfo(name, path, DIRECTORY.equals(entry.type()), (entry.size() != null) ? entry.size() : 0L,
				mode);
	}

}
