package dev.sandboxer.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.UnauthorizedException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// RFC 6455 framing as Reactor Netty implements it: a server that greets, echoes the client's binary frames with a
// prefix, and closes with a code and a reason when asked to; a route that refuses the upgrade with 401.
class VendorWebSocketTests {

	private static final Duration LIMIT = Duration.ofSeconds(10);

	private DisposableServer server;

	private VendorHttpClient client;

	private final List<String> seenAuthorization = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
			.ws("/echo", (in, out) -> {
				this.seenAuthorization.add(String.valueOf(in.headers().get("Authorization")));
				return out.sendObject(Flux.concat(Mono.just(new TextWebSocketFrame("hello")),
						in.receiveFrames().takeUntil((frame) -> isBye(frame)).map((frame) -> {
							if (isBye(frame)) {
								return new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(4000, "{\"exitCode\":3}");
							}
							byte[] data = ByteBufUtil.getBytes(frame.content());
							byte[] echoed = new byte[data.length + 1];
							echoed[0] = '>';
							System.arraycopy(data, 0, echoed, 1, data.length);
							return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(echoed));
						})));
			})
			.get("/denied", (request, response) -> response.status(401).send()))
			.bindNow();
		this.client = VendorHttpClient.builder("test",
				ProviderConfig.builder().defaultTimeout(Duration.ofSeconds(5)).environment((name) -> null).build())
			.build();
	}

	private static boolean isBye(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
		return frame instanceof BinaryWebSocketFrame
				&& "bye".equals(frame.content().toString(StandardCharsets.UTF_8));
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.disposeNow();
	}

	@Test
	void framesBothWaysThenTheServersCloseReason() throws Exception {
		List<String> texts = new CopyOnWriteArrayList<>();
		List<String> binaries = new CopyOnWriteArrayList<>();
		List<String> closes = new CopyOnWriteArrayList<>();
		CountDownLatch closed = new CountDownLatch(1);
		VendorWebSocket.Listener listener = new VendorWebSocket.Listener() {

			@Override
			public void onText(String text) {
				texts.add(text);
			}

			@Override
			public void onBinary(byte[] data) {
				binaries.add(new String(data, StandardCharsets.UTF_8));
			}

			@Override
			public void onClose(int code, String reason) {
				closes.add(code + " " + reason);
				closed.countDown();
			}

			@Override
			public void onError(SandboxerException error) {
				closes.add("error " + error);
				closed.countDown();
			}

		};
		HttpHeaders headers = new HttpHeaders();
		headers.set("Authorization", "Bearer k");
		VendorWebSocket.Connection connection = new VendorWebSocket(this.client)
			.open(URI.create("http://127.0.0.1:" + this.server.port() + "/echo"), headers, "connect", listener)
			.block(LIMIT);
		assertThat(connection.send("ab".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(connection.send("bye".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(closed.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(texts).containsExactly("hello");
		assertThat(binaries).containsExactly(">ab");
		assertThat(closes).containsExactly("4000 {\"exitCode\":3}");
		assertThat(this.seenAuthorization).containsExactly("Bearer k");
		connection.close();
	}

	@Test
	void aRefusedUpgradeIsMappedLikeAnHttpAnswer() {
		assertThatExceptionOfType(UnauthorizedException.class)
			.isThrownBy(() -> new VendorWebSocket(this.client)
				.open(URI.create("http://127.0.0.1:" + this.server.port() + "/denied"), new HttpHeaders(), "connect",
						new VendorWebSocket.Listener() {
						})
				.block(LIMIT))
			.withMessageStartingWith("test connect failed: HTTP 401");
	}

	@Test
	void httpUrisBecomeWebSocketUris() {
		assertThat(VendorWebSocket.webSocketUri(URI.create("https://h/x?a=b")).toString()).isEqualTo("wss://h/x?a=b");
		assertThat(VendorWebSocket.webSocketUri(URI.create("http://h:1/x")).toString()).isEqualTo("ws://h:1/x");
	}

}
