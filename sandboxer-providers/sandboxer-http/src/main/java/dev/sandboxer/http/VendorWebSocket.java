package dev.sandboxer.http;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sandboxer.error.SandboxerException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * A WebSocket to a vendor, for the endpoints that only stream that way (terminals, followed logs). Opened with the
 * headers of a {@link HttpCall} (credentials included) on a connection of its own, outside the HTTP pool.
 * <p>
 * A refused upgrade is mapped like any HTTP answer ({@link HttpFailures#fromResponse}: 401, 404...), a failed
 * connection like any transport failure. Once open, frames go to the {@link Listener} on a Netty thread, in order;
 * the socket ends with exactly one {@link Listener#onClose} (the server's close code and reason, or 1006 when the
 * connection just dropped) or one {@link Listener#onError}. Nothing is repeated: a socket is not an idempotent call.
 */
public final class VendorWebSocket {

	/** Frames larger than this are refused; terminal output and log chunks are far smaller. */
	private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(VendorWebSocket.class);

	/** Receives what the server sends. Called on a Netty thread: return quickly. */
	public interface Listener {

		default void onText(String text) {
		}

		default void onBinary(byte[] data) {
		}

		/** The socket ended: the server's close code and reason (1006 and empty when it sent no close frame). */
		default void onClose(int code, String reason) {
		}

		/** The socket failed after it opened. */
		default void onError(SandboxerException error) {
		}

	}

	private final VendorHttpClient client;

	public VendorWebSocket(VendorHttpClient client) {
		this.client = client;
	}

	/**
	 * Opens a socket; completes once the upgrade succeeded. {@code http} and {@code https} URIs become {@code ws} and
	 * {@code wss}.
	 */
	public Mono<Connection> open(URI uri, HttpHeaders headers, String operation, Listener listener) {
		URI target = webSocketUri(uri);
		String described = this.client.redactor().redact(target.getScheme() + "://" + target.getRawAuthority()
				+ target.getRawPath());
		return Mono.create((opened) -> {
			Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
			AtomicBoolean open = new AtomicBoolean();
			AtomicBoolean ended = new AtomicBoolean();
			Connection connection = new Connection(outbound);
			HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
						(int) Math.min(Integer.MAX_VALUE, this.client.defaultTimeout().toMillis()))
				.headers((target2) -> headers.forEach((name, values) -> target2.set(name, values)));
			Disposable running = http
				.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME_BYTES).build())
				.uri(target)
				.handle((in, out) -> {
					open.set(true);
					opened.success(connection);
					in.receiveCloseStatus().subscribe((status) -> {
						if (ended.compareAndSet(false, true)) {
							listener.onClose(status.code(), String.valueOf(status.reasonText()));
						}
					});
					Mono<Void> sending = out
						.sendObject(outbound.asFlux().map((bytes) -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))))
						.then();
					Mono<Void> receiving = in.receiveFrames()
						.doOnNext((frame) -> deliver(frame, listener))
						.doFinally((signal) -> outbound.tryEmitComplete())
						.then();
					return Mono.when(sending, receiving);
				})
				.subscribe(null, (error) -> {
					SandboxerException mapped = failure(operation, described, error);
					if (!open.get()) {
						opened.error(mapped);
					}
					else if (ended.compareAndSet(false, true)) {
						listener.onError(mapped);
					}
				}, () -> {
					if (ended.compareAndSet(false, true)) {
						listener.onClose(1006, "");
					}
				});
			connection.attach(running);
			opened.onCancel(running);
		});
	}

	private static void deliver(WebSocketFrame frame, Listener listener) {
		try {
			if (frame instanceof TextWebSocketFrame text) {
				listener.onText(text.text());
			}
			else if (frame instanceof BinaryWebSocketFrame binary) {
				listener.onBinary(ByteBufUtil.getBytes(binary.content()));
			}
		}
		catch (RuntimeException ex) {
			// A listener that throws must not cut the socket (the process on the other side would run on unread).
			logger.warn("A WebSocket listener failed; the socket stays open: {}", ex.toString());
		}
	}

	private SandboxerException failure(String operation, String target, Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
				HttpHeaders answerHeaders = new HttpHeaders();
				handshake.response().headers().forEach((entry) -> answerHeaders.add(entry.getKey(), entry.getValue()));
				return this.client.failures().fromResponse(operation, handshake.response().status().code(),
						answerHeaders, new byte[0]);
			}
		}
		return this.client.failures().fromTransport(operation, "WebSocket " + target, error);
	}

	static URI webSocketUri(URI uri) {
		String scheme = uri.getScheme();
		if ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) {
			String ws = "http".equalsIgnoreCase(scheme) ? "ws" : "wss";
			return URI.create(ws + uri.toString().substring(scheme.length()));
		}
		return uri;
	}

	@Override
	public String toString() {
		return "VendorWebSocket[" + this.client + "]";
	}

	/** An open socket. Thread-safe. */
	public static final class Connection implements AutoCloseable {

		private final Sinks.Many<byte[]> outbound;

		private @Nullable Disposable running;

		private boolean closed;

		private Connection(Sinks.Many<byte[]> outbound) {
			this.outbound = outbound;
		}

		/** The socket may open (and be closed by its user) before its subscription is known here. */
		private void attach(Disposable running) {
			boolean alreadyClosed;
			synchronized (this) {
				this.running = running;
				alreadyClosed = this.closed;
			}
			if (alreadyClosed) {
				running.dispose();
			}
		}

		/** Sends a binary frame; false when the socket has ended. */
		public synchronized boolean send(byte[] data) {
			return this.outbound.tryEmitNext(data.clone()).isSuccess();
		}

		/** Ends the socket; idempotent. */
		@Override
		public void close() {
			Disposable socket;
			synchronized (this) {
				this.closed = true;
				this.outbound.tryEmitComplete();
				socket = this.running;
			}
			if (socket != null) {
				socket.dispose();
			}
		}

	}

}
