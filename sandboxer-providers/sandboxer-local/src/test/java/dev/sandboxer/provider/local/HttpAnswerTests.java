package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The HTTP framing of the fast create path, against a Unix socket server of the test's own that answers canned
 * bytes (the Engine's real answers are covered by {@link LocalFastCreateTests}).
 */
class HttpAnswerTests {

	@TempDir
	Path directory;

	@Test
	void readsAContentLengthBody() throws Exception {
		HttpAnswer answer = exchange("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
				+ "\r\n{\"Id\":\"ab\"}\n", 1024);
		assertThat(answer.status()).isEqualTo(201);
		assertThat(answer.text()).isEqualTo("{\"Id\":\"ab\"}\n");
	}

	@Test
	void readsAChunkedBody() throws Exception {
		HttpAnswer answer = exchange("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "7\r\n{\"messa\r\n" + "1A;ext=1\r\nge\":\"No such image: x:y\"}\n\r\n" + "0\r\nTrailer: t\r\n\r\n", 1024);
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.text()).isEqualTo("{\"message\":\"No such image: x:y\"}\n");
		assertThat(EngineErrors.engineMessage(answer.text())).isEqualTo("No such image: x:y");
	}

	@Test
	void readsABodyEndedByTheConnectionAndAnAnswerWithNoBody() throws Exception {
		assertThat(exchange("HTTP/1.0 500 Oops\r\n\r\nplain words", 1024).text()).isEqualTo("plain words");
		HttpAnswer started = exchange("HTTP/1.1 204 No Content\r\nServer: Docker\r\n\r\n", 1024);
		assertThat(started.status()).isEqualTo(204);
		assertThat(started.body()).isEmpty();
	}

	@Test
	void boundsTheBody() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000), 1000))
			.withMessageContaining("1000");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "x".repeat(1024)
					+ "\r\n0\r\n\r\n", 1000))
			.withMessageContaining("1000");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> read("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(1001), 1000))
			.withMessageContaining("1000");
	}

	@Test
	void refusesBrokenAnswers() {
		for (String broken : new String[] { "", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2x1 Created\r\n\r\n",
				"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ "zz\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 5" }) {
			assertThatExceptionOfType(IOException.class).as(broken).isThrownBy(() -> read(broken, 1000));
		}
		// Broken, as opposed to cut short by the connection closing.
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n", 1000));
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n", 1000));
	}

	@Test
	void anAnswerThatIsNotHttpIsAProviderFailureNotAnUnreachableEngine() throws Exception {
		Path socket = this.directory.resolve("not-docker.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			CompletableFuture<String> request = CompletableFuture
				.supplyAsync(() -> serve(server, "SSH-2.0-OpenSSH_9.2\r\n", false));
			SocketEngineCalls calls = calls(socket);
			assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> calls.apiVersion(null))
				.withMessageContaining("is not the Docker Engine's HTTP")
				.withMessageContaining("SSH-2.0")
				.isNotInstanceOf(ProviderConnectionException.class);
			assertThat(request.get(5, TimeUnit.SECONDS)).startsWith("GET /_ping HTTP/1.1\r\n");
		}
	}

	@Test
	void anEngineFailureIsTypedWithItsMessageAndTheCreatesSubject() throws Exception {
		Path socket = this.directory.resolve("failing.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			String body = "{\"message\":\"disk on \\\"fire\\\"\"}\n";
			CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> serve(server,
					"HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, false));
			SocketEngineCalls calls = calls(socket);
			assertThatExceptionOfType(ProviderException.class)
				.isThrownBy(() -> calls.inspectImage("1.41", "team/img:1", "a sandbox from image 'team/img:1'"))
				.withMessage("The Docker Engine failed on a sandbox from image 'team/img:1' (HTTP 500): disk on \"fire\"");
			assertThat(request.get(5, TimeUnit.SECONDS)).startsWith("GET /v1.41/images/team%2Fimg%3A1/json HTTP/1.1\r\n");
		}
	}

	@Test
	void anEngineThatNeverAnswersFailsAtTheResponseDeadline() throws Exception {
		Path socket = this.directory.resolve("silent.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
				try {
					return server.accept();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			UnixSocketExchange exchange = new UnixSocketExchange(socket, Duration.ofSeconds(5),
					Duration.ofMillis(300), 1024);
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> exchange.exchange("GET", "/version", null));
			accepted.get(5, TimeUnit.SECONDS).close();
		}
	}

	@Test
	void aMissingSocketFailsToConnect() {
		UnixSocketExchange exchange = new UnixSocketExchange(this.directory.resolve("absent.sock"),
				Duration.ofSeconds(5), Duration.ofSeconds(5), 1024);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> exchange.exchange("GET", "/version", null));
	}

	@Test
	void anUpgradedStartCarriesTheStreamBothWaysFromTheFirstByteAfterTheHead() throws Exception {
		Path socket = this.directory.resolve("upgrade.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			CompletableFuture<String> engine = CompletableFuture.supplyAsync(() -> {
				try (SocketChannel client = server.accept()) {
					String head = readUntil(client, "}");
					// The head and the stream's first bytes in one write, as an Engine may send them.
					client.write(ByteBuffer.wrap(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker"
							+ ".multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nfirst")
						.getBytes(StandardCharsets.ISO_8859_1)));
					String line = readUntil(client, "\n");
					client.write(ByteBuffer.wrap("then".getBytes(StandardCharsets.ISO_8859_1)));
					return head + "|" + line;
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			SocketEngineCalls calls = calls(socket);

			UnixSocketExchange.Upgraded attached = calls.startAttached("1.41", "e/1", "container abc");
			try (SocketChannel channel = attached.channel()) {
				assertThat(channel.isBlocking()).isTrue();
				assertThat(new String(attached.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("first");
				channel.write(ByteBuffer.wrap("a line\n".getBytes(StandardCharsets.US_ASCII)));
				assertThat(new String(attached.input().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("then");
			}
			assertThat(engine.get(5, TimeUnit.SECONDS)).startsWith("POST /v1.41/exec/e%2F1/start HTTP/1.1\r\n")
				.contains("Connection: Upgrade\r\nUpgrade: tcp\r\n")
				.endsWith("\r\n\r\n{\"Detach\":false,\"Tty\":false}|a line\n");
		}
	}

	@Test
	void aStartTheEngineRefusesIsTypedWithItsMessage() throws Exception {
		Path socket = this.directory.resolve("refusing.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			String body = "{\"message\":\"Container abc is paused, unpause the container before exec\"}";
			CompletableFuture.supplyAsync(() -> serve(server,
					"HTTP/1.1 409 Conflict\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, true));
			SocketEngineCalls calls = calls(socket);

			assertThatExceptionOfType(ProviderException.class)
				.isThrownBy(() -> calls.startAttached("1.41", "e1", "container abc"))
				.withMessageContaining("is paused");
		}
	}

	@Test
	void anAgentsExecIsAttachedWithoutTerminalAsItsUser() {
		byte[] json = ExecCreateJson.of(List.of("sh", "-c", "echo \"hi\"\n", "sandboxer-session:1"), "nobody");
		assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"AttachStdin\":true,\"AttachStdout\":true,"
				+ "\"AttachStderr\":true,\"Tty\":false,\"Cmd\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\","
				+ "\"sandboxer-session:1\"],\"User\":\"nobody\"}");
		assertThat(new String(ExecCreateJson.of(List.of("sh"), null), StandardCharsets.UTF_8)).doesNotContain("User");
	}

	@Test
	void theVersionIsTheEnginesNewestFromItsPingWhileDockerJavaKnowsIt() throws Exception {
		Path socket = this.directory.resolve("ping.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> serve(server,
					"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK", false));
			SocketEngineCalls calls = calls(socket);

			assertThat(calls.apiVersion(null)).isEqualTo("1.41");
			assertThat(request.get(5, TimeUnit.SECONDS)).startsWith("GET /_ping HTTP/1.1\r\n");
		}
	}

	@Test
	void anEngineNewerThanDockerJavaIsAskedForItsOldestVersionToo() throws Exception {
		Path socket = this.directory.resolve("newer.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			String version = "{\"ApiVersion\":\"1.52\",\"MinAPIVersion\":\"1.44\"}";
			CompletableFuture<String> requests = CompletableFuture.supplyAsync(() -> serve(server,
					"HTTP/1.1 200 OK\r\nApi-Version: 1.52\r\nContent-Length: 2\r\n\r\nOK", false)
					+ serve(server, "HTTP/1.1 200 OK\r\nContent-Length: " + version.length() + "\r\n\r\n" + version, false));
			SocketEngineCalls calls = calls(socket);

			assertThat(calls.apiVersion(null)).isEqualTo("1.44");
			assertThat(requests.get(5, TimeUnit.SECONDS)).startsWith("GET /_ping HTTP/1.1\r\n")
				.contains("GET /version HTTP/1.1\r\n");
		}
	}

	/** The Engine calls over a test's socket, with short deadlines. */
	private static SocketEngineCalls calls(Path socket) {
		return new SocketEngineCalls(new UnixSocketExchange(socket, Duration.ofSeconds(5), Duration.ofSeconds(5), 1024),
				new EngineErrors(() -> "unix://" + socket));
	}

	/** Reads from a connection until what it read so far ends with {@code end}. */
	private static String readUntil(SocketChannel client, String end) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		String received = "";
		while (!received.endsWith(end)) {
			if (client.read(buffer) < 0) {
				break;
			}
			received = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
		}
		return received;
	}

	private static HttpAnswer read(String raw, int maxBody) throws IOException {
		return HttpAnswer.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), maxBody);
	}

	/** Serves one connection: reads the request's head and body, answers the canned bytes, closes. */
	private HttpAnswer exchange(String answer, int maxBody) throws Exception {
		Path socket = this.directory.resolve("engine.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> serve(server, answer, true));
			HttpAnswer read = new UnixSocketExchange(socket, Duration.ofSeconds(5), Duration.ofSeconds(5), maxBody)
				.exchange("POST", "/v1.41/containers/create", "{\"Image\":\"é\"}".getBytes(StandardCharsets.UTF_8));
			String sent = request.get(5, TimeUnit.SECONDS);
			assertThat(sent).startsWith("POST /v1.41/containers/create HTTP/1.1\r\n")
				.contains("Content-Length: 14\r\n", "Connection: close\r\n")
				.endsWith("\r\n\r\n{\"Image\":\"é\"}");
			return read;
		}
		finally {
			java.nio.file.Files.deleteIfExists(socket);
		}
	}

	private static String serve(ServerSocketChannel server, String answer, boolean withBody) {
		try (SocketChannel client = server.accept()) {
			ByteBuffer buffer = ByteBuffer.allocate(8192);
			String received = "";
			while (!received.contains("\r\n\r\n") || (withBody && !received.endsWith("}"))) {
				if (client.read(buffer) < 0) {
					break;
				}
				received = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
			}
			client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
			return received;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
