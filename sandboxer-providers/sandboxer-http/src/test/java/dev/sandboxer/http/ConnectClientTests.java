package dev.sandboxer.http;

// Stubs follow the Connect protocol reference (connectrpc/connectrpc.com, docs/protocol.md at commit c72686b6):
// unary = JSON POST with Connect-Protocol-Version: 1 and a JSON error body {code, message} on failure;
// server streaming = application/connect+json, enveloped request and answers, an end-of-stream envelope
// (flags 0x02) whose JSON may carry {"error": {code, message}} and "metadata".

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConnectClientTests {

	private static final Duration LIMIT = Duration.ofSeconds(20);

	private static final String STREAM_PATH = "/demo.v1.Counter/Count";

	private static final String UNARY_PATH = "/demo.v1.Counter/Get";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final VendorHttpClient http = VendorHttpClient
		.builder("acme", ProviderConfig.builder()
			.defaultTimeout(Duration.ofSeconds(2))
			.retry(new RetrySettings(3, Duration.ofMillis(10), Duration.ofSeconds(1)))
			.environment((name) -> null)
			.build())
		.build();

	private final ConnectClient connect = new ConnectClient(this.http, 1024);

	private final List<Count> received = new CopyOnWriteArrayList<>();

	record CountRequest(String name, int upTo) {
	}

	record Count(int n) {
	}

	@BeforeAll
	static void quiet() {
		LogCapture.quietLibraries();
	}

	@AfterEach
	void close() {
		this.http.close();
	}

	@Test
	void unarySendsPlainJsonWithTheProtocolVersion() {
		wm.stubFor(post(urlPathEqualTo(UNARY_PATH))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"n\":7}")));
		Count count = this.connect.unary(this.http.post(uri(UNARY_PATH)), new CountRequest("a", 3), Count.class)
			.block(LIMIT);
		assertThat(count).isEqualTo(new Count(7));
		wm.verify(postRequestedFor(urlPathEqualTo(UNARY_PATH)).withHeader("Content-Type", equalTo("application/json"))
			.withHeader("Connect-Protocol-Version", equalTo("1"))
			.withRequestBody(equalToJson("{\"name\":\"a\",\"upTo\":3}")));
	}

	@Test
	void unaryErrorIsTypedByItsConnectCode() {
		wm.stubFor(post(urlPathEqualTo(UNARY_PATH)).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"code\":\"not_found\",\"message\":\"no such counter\"}")));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> this.connect
				.unary(this.http.post(uri(UNARY_PATH)).operation("get"), new CountRequest("a", 1), Count.class)
				.block(LIMIT))
			.withMessage("acme get failed: HTTP 404 (not_found): no such counter");
	}

	@Test
	void unaryUnavailableIsRepeatedWhenTheCallIsSafe() {
		wm.stubFor(post(urlPathEqualTo(UNARY_PATH)).inScenario("busy")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("ready")
			.willReturn(aResponse().withStatus(503).withBody("{\"code\":\"unavailable\",\"message\":\"busy\"}")));
		wm.stubFor(post(urlPathEqualTo(UNARY_PATH)).inScenario("busy")
			.whenScenarioStateIs("ready")
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"n\":1}")));
		assertThat(this.connect.unary(this.http.post(uri(UNARY_PATH)).safeToRepeat(), new CountRequest("a", 1),
				Count.class).block(LIMIT)).isEqualTo(new Count(1));
		wm.verify(2, postRequestedFor(urlPathEqualTo(UNARY_PATH)));
	}

	@Test
	void anErrorWithoutAConnectBodyIsReadAsHttp() {
		wm.stubFor(post(urlPathEqualTo(UNARY_PATH)).willReturn(aResponse().withStatus(502).withBody("<html>bad gateway")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.connect.unary(this.http.post(uri(UNARY_PATH)), new CountRequest("a", 1), Count.class)
				.block(LIMIT))
			.satisfies((error) -> assertThat(error.status()).contains(502))
			.withMessageContaining("<html>bad gateway");
	}

	@Test
	void streamingSendsAnEnvelopedRequestAndDecodesEachMessage() {
		stubStream(Envelopes.message("{\"n\":1}"), Envelopes.message("{\"n\":2}"), Envelopes.message("{}"),
				Envelopes.endOfStream("{\"metadata\":{\"acme-cost\":[\"3\"]}}"));
		List<Count> counts = stream().collectList().block(LIMIT);
		assertThat(counts).containsExactly(new Count(1), new Count(2), new Count(0));
		List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo(STREAM_PATH))
			.withHeader("Content-Type", equalTo("application/connect+json"))
			.withHeader("Connect-Protocol-Version", equalTo("1")));
		assertThat(requests).hasSize(1);
		List<Envelopes.Envelope> sent = Envelopes.read(requests.get(0).getBody());
		assertThat(sent).hasSize(1);
		assertThat(sent.get(0).flags()).isZero();
		assertThat(sent.get(0).json()).isEqualTo("{\"name\":\"c\",\"upTo\":3}");
	}

	@Test
	void anErrorEndOfStreamDeliversTheMessagesBeforeItThenFailsTyped() {
		stubStream(Envelopes.message("{\"n\":1}"),
				Envelopes.endOfStream("{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"too slow\"}}"));
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> stream().doOnNext(this.received::add).then().block(LIMIT))
			.withMessageContaining("deadline_exceeded")
			.withMessageContaining("too slow");
		assertThat(this.received).containsExactly(new Count(1));
	}

	@Test
	void anEndOfStreamErrorWithAnUnknownCodeIsAProviderError() {
		stubStream(Envelopes.endOfStream("{\"error\":{\"code\":\"exploded\"}}"));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.satisfies((error) -> assertThat(error.code()).contains("unknown"));
	}

	@Test
	void aStreamThatEndsWithoutItsEndOfStreamIsInterrupted() {
		stubStream(Envelopes.message("{\"n\":1}"), Envelopes.message("{\"n\":2}"));
		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> stream().doOnNext(this.received::add).then().block(LIMIT))
			.withMessageContaining("after 2 message(s) without its end-of-stream message");
		assertThat(this.received).hasSize(2);
	}

	@Test
	void aStreamCutInsideAMessageIsInterrupted() {
		byte[] whole = Envelopes.message("{\"n\":12345}");
		byte[] cut = Arrays.copyOf(whole, whole.length - 3);
		stubStream(Envelopes.message("{\"n\":1}"), cut);
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("in the middle of a message");
	}

	@Test
	void refusesWhatTheProtocolForbids() {
		stubStream(Envelopes.envelope(0x01, "{\"n\":1}"), Envelopes.endOfStream("{}"));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("compressed");
		stubStream(Envelopes.endOfStream("{}"), Envelopes.message("{\"n\":1}"));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("after the end-of-stream");
		stubStream(Envelopes.message("{\"n\":\"" + "9".repeat(2000) + "\"}"), Envelopes.endOfStream("{}"));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("larger than the limit of 1024 bytes");
		stubStream(Envelopes.message("{\"n\":"), Envelopes.endOfStream("{}"));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("not a valid Count");
	}

	@Test
	void aStreamAnsweredAsPlainJsonIsRefused() {
		wm.stubFor(post(urlPathEqualTo(STREAM_PATH))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"n\":1}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> stream().then().block(LIMIT))
			.withMessageContaining("instead of application/connect+json");
	}

	@Test
	void aStreamErrorBeforeTheStreamStartsIsTypedByItsConnectCode() {
		wm.stubFor(post(urlPathEqualTo(STREAM_PATH)).willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"code\":\"unauthenticated\",\"message\":\"who are you\"}")));
		assertThatExceptionOfType(dev.sandboxer.error.UnauthorizedException.class)
			.isThrownBy(() -> stream().then().block(LIMIT));
	}

	@Test
	void messagesArriveWhileTheServerIsStillSending() throws Exception {
		CountDownLatch firstSeen = new CountDownLatch(1);
		AtomicBoolean serverSawTheClientReadEarly = new AtomicBoolean();
		HttpServer server = frameServer((out) -> {
			out.write(Envelopes.message("{\"n\":1}"));
			out.flush();
			// The rest is written only once the client has decoded the first message (or after 10 s).
			serverSawTheClientReadEarly.set(firstSeen.await(10, TimeUnit.SECONDS));
			out.write(Envelopes.message("{\"n\":2}"));
			out.write(Envelopes.endOfStream("{}"));
		});
		try {
			List<Count> counts = streamTo(server).doOnNext((count) -> firstSeen.countDown()).collectList().block(LIMIT);
			assertThat(counts).containsExactly(new Count(1), new Count(2));
			assertThat(serverSawTheClientReadEarly).isTrue();
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void aConnectionDroppedMidStreamIsInterrupted() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread serving = new Thread(() -> dropAfterOneMessage(server));
			serving.start();
			URI target = URI.create("http://127.0.0.1:" + server.getLocalPort() + STREAM_PATH);
			assertThatExceptionOfType(StreamInterruptedException.class)
				.isThrownBy(() -> this.connect
					.serverStream(this.http.post(target).operation("count"), new CountRequest("c", 3), Count.class)
					.doOnNext(this.received::add)
					.then()
					.block(LIMIT))
				.withMessageContaining("acme count: the stream was cut after 1 message(s)");
			assertThat(this.received).containsExactly(new Count(1));
			serving.join(LIMIT.toMillis());
		}
	}

	/** Answers one chunked Connect stream with one message, then closes the socket without the last chunk. */
	private static void dropAfterOneMessage(ServerSocket server) {
		try (Socket socket = server.accept()) {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			int contentLength = 0;
			for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
				if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
					contentLength = Integer.parseInt(line.substring(15).strip());
				}
			}
			reader.skip(contentLength);
			byte[] message = Envelopes.message("{\"n\":1}");
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/connect+json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(message.length) + "\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(message);
			out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			Thread.sleep(200);
		}
		catch (IOException | InterruptedException ex) {
			// The test's assertion tells whether the client saw the cut.
		}
	}

	@Test
	void theTimeoutHeaderIsWholePositiveMillisecondsOfAtMostTenDigits() {
		assertThat(ConnectClient.timeoutHeaderValue(Duration.ofSeconds(600))).isEqualTo("600000");
		assertThat(ConnectClient.timeoutHeaderValue(Duration.ofNanos(10))).isEqualTo("1");
		assertThat(ConnectClient.timeoutHeaderValue(Duration.ofDays(1000))).isEqualTo("9999999999");
	}

	private Flux<Count> stream() {
		return this.connect.serverStream(this.http.post(uri(STREAM_PATH)).operation("count"), new CountRequest("c", 3),
				Count.class);
	}

	private Flux<Count> streamTo(HttpServer server) {
		URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + STREAM_PATH);
		return this.connect.serverStream(this.http.post(target).operation("count"), new CountRequest("c", 3),
				Count.class);
	}

	private static void stubStream(byte[]... envelopes) {
		wm.stubFor(post(urlPathEqualTo(STREAM_PATH)).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.concat(envelopes))));
	}

	private static URI uri(String path) {
		return URI.create(wm.baseUrl() + path);
	}

	/** A server that answers a chunked Connect stream written by the given body. */
	static HttpServer frameServer(StreamBody body) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().set("Content-Type", "application/connect+json");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				body.write(out);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		server.start();
		return server;
	}

	@FunctionalInterface
	interface StreamBody {

		void write(OutputStream out) throws IOException, InterruptedException;

	}

}
