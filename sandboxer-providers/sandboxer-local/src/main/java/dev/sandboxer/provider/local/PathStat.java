package dev.sandboxer.provider.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxer.error.ProviderException;

/**
 * What the Engine's archive endpoint says about a path in its {@code X-Docker-Container-Path-Stat} header: base64
 * of a JSON object whose {@code mode} is a Go {@code os.FileMode} (type bits high, permission bits low).
 *
 * @param name the last name of the path
 * @param size its size in bytes
 * @param goMode the Go file mode
 * @param linkTarget where a symbolic link points, or empty
 */
record PathStat(String name, long size, long goMode, String linkTarget) {

	static final String HEADER = "X-Docker-Container-Path-Stat";

	private static final long GO_DIR = 1L << 31;

	private static final long GO_SYMLINK = 1L << 27;

	private static final long GO_SETUID = 1L << 23;

	private static final long GO_SETGID = 1L << 22;

	private static final long GO_STICKY = 1L << 20;

	/** docker-java brings Jackson 2 along; this module uses it rather than adding a second JSON library. */
	private static final ObjectMapper JSON = new ObjectMapper();

	static PathStat decode(String header) {
		try {
			JsonNode json = JSON.readTree(new String(Base64.getDecoder().decode(header.strip()), StandardCharsets.UTF_8));
			return new PathStat(json.path("name").asText(""), json.path("size").asLong(0), json.path("mode").asLong(0),
					json.path("linkTarget").asText(""));
		}
		catch (IllegalArgumentException | IOException ex) {
			throw new ProviderException(EngineErrors.PROVIDER, "The Docker Engine sent an unreadable path stat header", null,
					null, ex);
		}
	}

	boolean isDirectory() {
		return (this.goMode & GO_DIR) != 0;
	}

	boolean isSymlink() {
		return (this.goMode & GO_SYMLINK) != 0;
	}

	/** The Unix permission bits, special bits included ({@code 01777} for {@code /tmp}). */
	int unixMode() {
		int mode = (int) (this.goMode & 0777);
		mode |= ((this.goMode & GO_SETUID) != 0) ? 04000 : 0;
		mode |= ((this.goMode & GO_SETGID) != 0) ? 02000 : 0;
		mode |= ((this.goMode & GO_STICKY) != 0) ? 01000 : 0;
		return mode;
	}

}
