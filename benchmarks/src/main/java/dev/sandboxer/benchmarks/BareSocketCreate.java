package dev.sandboxer.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer of a fresh JVM's first create: the Engine making and starting a container when asked over its socket with
 * nothing in between (no docker-java, no Sandboxer), as {@code curl --unix-socket} would: one connection per request,
 * unversioned paths,
 * {@code POST /containers/create} with the image, entrypoint, command, init and auto-remove, then
 * {@code POST /containers/{id}/start}. The container is removed after the measurement.
 */
final class BareSocketCreate {

	private static final Path SOCKET = Path.of("/var/run/docker.sock");

	private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]+)\"");

	/** Makes and starts a container; answers its id. */
	String createAndStart(String image) throws IOException {
		String body = "{\"Image\":\"" + image + "\",\"Entrypoint\":[\"sleep\"],\"Cmd\":[\"60\"],"
				+ "\"Labels\":{\"sandboxer-benchmark\":\"bare\"},\"HostConfig\":{\"Init\":true,\"AutoRemove\":true}}";
		String created = exchange("POST", "/containers/create", body, 201);
		Matcher id = ID.matcher(created);
		if (!id.find()) {
			throw new IOException("No container id in " + created);
		}
		exchange("POST", "/containers/" + id.group(1) + "/start", null, 204);
		return id.group(1);
	}

	void remove(String id) throws IOException {
		exchange("DELETE", "/containers/" + id + "?force=true", null, 204);
	}

	private String exchange(String method, String path, String json, int expected) throws IOException {
		byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
		// Unversioned: the Engine's own newest version, as curl without a version prefix.
		String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(SOCKET));
			channel.write(java.nio.ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
			channel.write(java.nio.ByteBuffer.wrap(body));
			InputStream in = Channels.newInputStream(channel);
			// Connection: close, so the answer ends with the stream.
			String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			if (!answer.startsWith("HTTP/1.1 " + expected)) {
				throw new IOException(method + " " + path + " answered " + answer);
			}
			return answer;
		}
	}

}
