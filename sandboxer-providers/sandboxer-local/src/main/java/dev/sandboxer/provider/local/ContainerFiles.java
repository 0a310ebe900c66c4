package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Files through the Engine's archive endpoints ({@code /containers/{id}/archive}): no process is started, bytes
 * pass untouched, and paths travel as a URL-encoded query value, so no shell ever reads them.
 * <ul>
 * <li>{@code HEAD} answers whether a path exists, and what it is, in one round trip.</li>
 * <li>{@code GET} answers a tar stream whose first entry is the file; it is read as it arrives.</li>
 * <li>{@code PUT} takes a tar stream extracted into an existing directory; missing parent directories travel in
 * the same tar, ahead of the file.</li>
 * </ul>
 * All methods block; callers run them on the engine's threads.
 */
final class ContainerFiles {

	/** How many symbolic links a read follows before it gives up on a loop. */
	private static final int MAX_LINKS = 8;

	/** Uploads up to this size (the archive, headers included) are held in memory, so that they can be sent again. */
	static final int REPEATABLE_UPLOAD = 1024 * 1024;

	private final DockerEngine engine;

	ContainerFiles(DockerEngine engine) {
		this.engine = engine;
	}

	/** What is at a path, or nothing; one HEAD request. */
	Optional<PathStat> stat(String containerId, ContainerPath path) {
		try (DockerHttpClient.Response response = archive("HEAD", containerId, path)) {
			int status = response.getStatusCode();
			if (status == 200) {
				String header = response.getHeader(PathStat.HEADER);
				return Optional.ofNullable(header).map(PathStat::decode);
			}
			if (status == 404) {
				requireContainer(containerId);
				return Optional.empty();
			}
			// A HEAD answer carries no message: a container being removed answers 500 too, so ask which it is.
			requireRunningContainer(containerId);
			throw this.engine.errors().fromStatus(status, "(no message in a HEAD answer)", subject(containerId, path),
					null);
		}
	}

	/**
	 * A file's content as it streams in, following symbolic links; the caller closes it.
	 * @throws NotFoundException when there is no such file, or no such sandbox
	 */
	InputStream open(String containerId, ContainerPath path) {
		return openIfPresent(containerId, path).orElseThrow(() -> new NotFoundException(EngineErrors.PROVIDER,
				"No file at '" + path + "' in " + subject(containerId)));
	}

	/**
	 * Like {@link #open}, but empty when the file is missing.
	 * @throws NotFoundException when the sandbox is gone
	 */
	Optional<InputStream> openIfPresent(String containerId, ContainerPath path) {
		ContainerPath current = path;
		for (int hop = 0; hop <= MAX_LINKS; hop++) {
			// A stream the caller reads at its own pace: no response timeout.
			DockerHttpClient.Response response = this.engine.sendStreaming(
					DockerHttpClient.Request.builder().method("GET"), archivePath(containerId, current));
			if (response.getStatusCode() == 404) {
				requireContainerAfter(response, containerId);
				return Optional.empty();
			}
			this.engine.requireSuccess(response, subject(containerId, current));
			boolean handedOver = false;
			try {
				TarArchiveInputStream tar = new TarArchiveInputStream(response.getBody(), StandardCharsets.UTF_8.name());
				TarArchiveEntry entry = tar.getNextEntry();
				if (entry == null) {
					throw new ProviderException(EngineErrors.PROVIDER,
							"The Docker Engine answered an empty archive for " + subject(containerId, current));
				}
				if (entry.isDirectory()) {
					throw new ProviderException(EngineErrors.PROVIDER, "'" + path + "' in " + subject(containerId)
							+ " is a directory, not a file; use listDirectory for it", null, "is-a-directory", null);
				}
				if (entry.isSymbolicLink()) {
					String target = entry.getLinkName();
					current = target.startsWith("/") ? ContainerPath.of(target)
							: ContainerPath.of(current.parent() + "/" + target);
					continue;
				}
				handedOver = true;
				return Optional.of(new EntryStream(tar, response));
			}
			catch (IOException ex) {
				throw new ProviderException(EngineErrors.PROVIDER,
						"Could not read the archive of " + subject(containerId, current) + ": " + ex.getMessage(), null,
						null, ex);
			}
			finally {
				if (!handedOver) {
					response.close();
				}
			}
		}
		throw new ProviderException(EngineErrors.PROVIDER, "Too many symbolic links from '" + path + "' in "
				+ subject(containerId), null, "too-many-links", null);
	}

	/**
	 * The regular files directly inside a directory, read whole and keyed by name; empty when the directory is
	 * missing. For small state directories only.
	 */
	Optional<Map<String, byte[]>> readSmallDirectory(String containerId, ContainerPath directory) {
		DockerHttpClient.Response response = archive("GET", containerId, directory);
		if (response.getStatusCode() == 404) {
			requireContainerAfter(response, containerId);
			return Optional.empty();
		}
		try (DockerHttpClient.Response answer = this.engine.requireSuccess(response, subject(containerId, directory));
				TarArchiveInputStream tar = new TarArchiveInputStream(answer.getBody(), StandardCharsets.UTF_8.name())) {
			Map<String, byte[]> files = new HashMap<>();
			for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
				String name = entry.getName();
				int slash = name.indexOf('/');
				String inside = (slash >= 0) ? name.substring(slash + 1) : name;
				if (entry.isFile() && !inside.isEmpty() && inside.indexOf('/') < 0) {
					files.put(inside, tar.readAllBytes());
				}
			}
			return Optional.of(files);
		}
		catch (IOException ex) {
			throw new ProviderException(EngineErrors.PROVIDER,
					"Could not read the archive of " + subject(containerId, directory) + ": " + ex.getMessage(), null,
					null, ex);
		}
	}

	/**
	 * Writes a file, making its missing parent directories first (mode 0755, same owner).
	 * @param owner uid and gid; {@code null} leaves ownership to the container's default user
	 */
	void write(String containerId, ContainerPath path, InputStream content, long size, int mode,
			TarUpload.@Nullable Owner owner) {
		if (path.isRoot()) {
			throw new ProviderException(EngineErrors.PROVIDER, "'/' is a directory, not a file", null,
					"is-a-directory", null);
		}
		Missing missing = missingDirectories(containerId, path.parent());
		TarUpload.FileEntry file = new TarUpload.FileEntry(path.relativeTo(missing.existing()), size, mode, content);
		upload(containerId, missing.existing(), TarUpload.of(missing.names(), file, owner), owner == null, path);
	}

	/** Makes a directory and its missing parents; nothing happens when it exists. */
	void makeDirectories(String containerId, ContainerPath path) {
		Missing missing = missingDirectories(containerId, path);
		if (!missing.names().isEmpty()) {
			upload(containerId, missing.existing(), TarUpload.of(missing.names(), null, null), true, path);
		}
	}

	/** The nearest existing ancestor of a directory-to-be, and the names to make under it, parents first. */
	private Missing missingDirectories(String containerId, ContainerPath directory) {
		List<String> names = new ArrayList<>();
		List<ContainerPath> chain = new ArrayList<>();
		ContainerPath current = directory;
		while (true) {
			Optional<PathStat> stat = stat(containerId, current);
			if (stat.isPresent()) {
				if (!stat.get().isDirectory() && !(stat.get().isSymlink() && stat(containerId, followed(current, stat.get()))
					.map(PathStat::isDirectory)
					.orElse(false))) {
					throw new ProviderException(EngineErrors.PROVIDER, "'" + current + "' in " + subject(containerId)
							+ " exists and is not a directory", null, "not-a-directory", null);
				}
				break;
			}
			chain.add(0, current);
			current = current.parent();
		}
		for (ContainerPath made : chain) {
			names.add(made.relativeTo(current));
		}
		return new Missing(current, names);
	}

	private static ContainerPath followed(ContainerPath link, PathStat stat) {
		String target = stat.linkTarget();
		return target.startsWith("/") ? ContainerPath.of(target) : ContainerPath.of(link.parent() + "/" + target);
	}

	private void upload(String containerId, ContainerPath directory, InputStream tar, boolean defaultOwner,
			ContainerPath forPath) {
		String query = "&noOverwriteDirNonDir=true&copyUIDGID=" + defaultOwner;
		DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
			.method(Method.PUT)
			.putHeader("Content-Type", "application/x-tar");
		try (DockerHttpClient.Response response = this.engine.sendStreaming(withBody(request, tar),
				archivePath(containerId, directory) + query)) {
			int status = response.getStatusCode();
			if (status >= 200 && status < 300) {
				return;
			}
			String message = EngineErrors.engineMessage(DockerEngine.readBody(response));
			if (message.contains("No such container")) {
				throw gone(containerId, message);
			}
			if (message.contains("cannot overwrite directory")) {
				throw new ProviderException(EngineErrors.PROVIDER, "'" + forPath + "' in " + subject(containerId)
						+ " is a directory; a file cannot replace it", status, "is-a-directory", null);
			}
			throw this.engine.errors().fromStatus(status, message, subject(containerId, forPath), null);
		}
		finally {
			closeQuietly(tar);
		}
	}

	/**
	 * A small archive goes as bytes, which {@link StaleConnectionRetry} can send again when a pooled connection died
	 * with the Engine (a restart); a larger one streams, read once, and fails on such a connection.
	 */
	private static DockerHttpClient.Request.Builder withBody(DockerHttpClient.Request.Builder request, InputStream tar) {
		byte[] head;
		try {
			head = tar.readNBytes(REPEATABLE_UPLOAD + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (head.length <= REPEATABLE_UPLOAD) {
			return request.bodyBytes(head);
		}
		return request.body(new SequenceInputStream(new ByteArrayInputStream(head), tar));
	}

	/** A body-less request on the archive endpoint; {@code HEAD} is not among docker-java's methods, hence a name. */
	private DockerHttpClient.Response archive(String method, String containerId, ContainerPath path) {
		return this.engine.send(DockerHttpClient.Request.builder().method(method), archivePath(containerId, path));
	}

	/** Closes a 404 answer, failing when it says the container, not the path, is missing. */
	private static void requireContainerAfter(DockerHttpClient.Response notFound, String containerId) {
		String message;
		try (notFound) {
			message = EngineErrors.engineMessage(DockerEngine.readBody(notFound));
		}
		if (message.contains("No such container")) {
			throw gone(containerId, message);
		}
	}

	/** After a 404 on a path: is it the path or the whole container that is missing? */
	private void requireContainer(String containerId) {
		try (DockerHttpClient.Response root = archive("HEAD", containerId, ContainerPath.ROOT)) {
			if (root.getStatusCode() == 404) {
				throw gone(containerId, "No such container: " + containerId);
			}
		}
	}

	/** After a failure that does not say why: a container that stopped or is being removed is gone. */
	private void requireRunningContainer(String containerId) {
		InspectContainerResponse.ContainerState state;
		try {
			state = this.engine.client().inspectContainerCmd(containerId).exec().getState();
		}
		catch (com.github.dockerjava.api.exception.NotFoundException ex) {
			throw gone(containerId, "No such container: " + containerId);
		}
		if (state == null || !Boolean.TRUE.equals(state.getRunning())
				|| Boolean.TRUE.equals(state.getDead()) || "removing".equals(state.getStatus())) {
			throw gone(containerId, "it stopped or is being removed");
		}
	}

	private static SandboxerException gone(String containerId, String message) {
		return new NotFoundException(EngineErrors.PROVIDER,
				"Sandbox " + LocalSandbox.shortId(containerId) + " is gone: " + message);
	}

	private static String archivePath(String containerId, ContainerPath path) {
		return "/containers/" + PercentEncoding.encode(containerId) + "/archive?path="
				+ PercentEncoding.encodePath(path.value());
	}

	private static String subject(String containerId) {
		return ContainerExec.subject(containerId);
	}

	private static String subject(String containerId, ContainerPath path) {
		return "'" + path + "' in " + subject(containerId);
	}

	private static void closeQuietly(InputStream stream) {
		try {
			stream.close();
		}
		catch (IOException ex) {
			// The upload is over either way.
		}
	}

	private record Missing(ContainerPath existing, List<String> names) {

	}

	/** The first entry's content; closing it closes the Engine's answer. */
	private static final class EntryStream extends FilterInputStream {

		private final DockerHttpClient.Response response;

		EntryStream(TarArchiveInputStream tar, DockerHttpClient.Response response) {
			super(tar);
			this.response = response;
		}

		@Override
		public void close() throws IOException {
			try {
				super.close();
			}
			finally {
				this.response.close();
			}
		}

	}

}
