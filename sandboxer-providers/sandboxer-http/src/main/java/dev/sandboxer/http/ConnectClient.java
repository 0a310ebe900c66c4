package dev.sandboxer.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The Connect protocol (connectrpc.com/docs/protocol) with the JSON codec, over a {@link VendorHttpClient}.
 * <ul>
 * <li>Unary: a plain JSON POST with {@code Connect-Protocol-Version: 1}; a failure is a non-200 answer whose JSON
 * body carries {@code code} and {@code message}.</li>
 * <li>Server streaming: {@code Content-Type: application/connect+json}, the request and every answer message in an
 * envelope (flags byte, 4-byte big-endian length). Messages are decoded as their bytes arrive, never by buffering
 * the body. The stream must end with an envelope flagged end-of-stream whose JSON may carry an {@code error}; one
 * that ends without it is a {@link StreamInterruptedException}.</li>
 * </ul>
 * A Connect error becomes a typed error through the HTTP status its code stands for ({@link HttpFailures}). A
 * non-200 answer without a Connect error body did not come from a Connect server but from something in front of it
 * (a gateway, a proxy for a sandbox that is gone), so the shared HTTP mapping reads it: a 404 there means what was
 * addressed is not there, not the {@code unimplemented} the protocol's inference table would give.
 */
public final class ConnectClient {

	public static final MediaType CONNECT_JSON = new MediaType("application", "connect+json");

	public static final String PROTOCOL_VERSION_HEADER = "Connect-Protocol-Version";

	public static final String TIMEOUT_HEADER = "Connect-Timeout-Ms";

	/** Larger messages are refused. The protocol sets no limit; this bounds what one bad message can cost. */
	public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

	private static final long MAX_TIMEOUT_MS = 9_999_999_999L;

	private final VendorHttpClient http;

	private final int maxMessageBytes;

	public ConnectClient(VendorHttpClient http) {
		this(http, DEFAULT_MAX_MESSAGE_BYTES);
	}

	public ConnectClient(VendorHttpClient http, int maxMessageBytes) {
		this.http = http;
		this.maxMessageBytes = maxMessageBytes;
	}

	/**
	 * The value of {@value #TIMEOUT_HEADER} for a deadline: whole milliseconds, at least 1, at most ten digits as the
	 * protocol requires.
	 */
	public static String timeoutHeaderValue(Duration deadline) {
		long millis = Math.max(1, Math.min(MAX_TIMEOUT_MS, deadline.toMillis()));
		return Long.toString(millis);
	}

	/** A unary call on a prepared POST to {@code base/package.Service/Method}. */
	public <T> Mono<T> unary(HttpCall call, Object request, Class<T> responseType) {
		return call.header(PROTOCOL_VERSION_HEADER, "1")
			.jsonBody(request)
			.errorReader(this::readError)
			.json(responseType);
	}

	/**
	 * A server-streaming call on a prepared POST. The flux emits each message as soon as its envelope is complete,
	 * completes on a successful end-of-stream envelope, and fails with the typed error its end-of-stream carries.
	 */
	public <T> Flux<T> serverStream(HttpCall call, Object request, Class<T> messageType) {
		byte[] envelope = EnvelopeDecoder.envelope(0, this.http.json().write(request));
		String operation = call.operation();
		return call.header(PROTOCOL_VERSION_HEADER, "1")
			.body(envelope, CONNECT_JSON)
			.errorReader(this::readError)
			.stream()
			.flatMapMany((answer) -> messages(answer, messageType, operation));
	}

	private <T> Flux<T> messages(HttpCall.StreamedAnswer answer, Class<T> messageType, String operation) {
		MediaType type = answer.headers().getContentType();
		if (type == null || !CONNECT_JSON.equalsTypeAndSubtype(type)) {
			return answer.body()
				.doOnNext(DataBufferUtils::release)
				.thenMany(Flux.error(new ProviderException(this.http.failures().provider(),
						this.http.failures().provider() + " " + operation + ": answered a stream with content type "
								+ type + " instead of " + CONNECT_JSON,
						answer.status(), null, null)));
		}
		return Flux.defer(() -> {
			StreamReader<T> reader = new StreamReader<>(messageType, operation);
			return answer.body()
				.concatMap(reader::read)
				.concatWith(Flux.defer(reader::finish))
				.onErrorMap(StreamInterruptedException.class, reader::withProgress)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		});
	}

	private @Nullable SandboxerException readError(String operation, int status, HttpHeaders headers, byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			WireError error = this.http.json().read(body, WireError.class);
			if (error.code() == null) {
				return null;
			}
			return ConnectCode.fromWireName(error.code())
				.map((code) -> this.http.failures().fromConnectError(operation, code, error.message()))
				.orElse(null);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			return null;
		}
	}

	/** The {@code Error} of the protocol: a code, an optional message, details this client does not use. */
	record WireError(@Nullable String code, @Nullable String message) {
	}

	/** The last message of a stream. {@code {}} is a success; {@code metadata} holds trailers. */
	record EndStream(@Nullable WireError error, @Nullable Map<String, List<String>> metadata) {
	}

	/** The decoding state of one stream. */
	private final class StreamReader<T> {

		private final Class<T> messageType;

		private final String operation;

		private final EnvelopeDecoder decoder = new EnvelopeDecoder(ConnectClient.this.maxMessageBytes);

		private long received;

		private boolean ended;

		private @Nullable StreamInterruptedException endedEarly;

		StreamReader(Class<T> messageType, String operation) {
			this.messageType = messageType;
			this.operation = operation;
		}

		/**
		 * The messages a chunk completes, followed by the failure an envelope reported or caused, if any: the
		 * messages before a failing envelope are still delivered.
		 */
		Flux<T> read(DataBuffer chunk) {
			List<T> messages = new ArrayList<>(2);
			SandboxerException failure = null;
			try {
				this.decoder.feed(chunk, (flags, payload, offset, length) -> {
					if (this.ended) {
						throw protocolError("a message came after the end-of-stream message");
					}
					if ((flags & EnvelopeDecoder.FLAG_COMPRESSED) != 0) {
						throw protocolError("a compressed message came, but no compression was negotiated");
					}
					if ((flags & EnvelopeDecoder.FLAG_END_STREAM) != 0) {
						this.ended = true;
						end(payload, offset, length);
						return;
					}
					messages.add(readJson(payload, offset, length, this.messageType));
					this.received++;
				});
			}
			catch (EnvelopeDecoder.FrameTooLargeException ex) {
				failure = protocolError(String.valueOf(ex.getMessage()));
			}
			catch (SandboxerException ex) {
				failure = ex;
			}
			finally {
				DataBufferUtils.release(chunk);
			}
			Flux<T> decoded = Flux.fromIterable(messages);
			return (failure != null) ? decoded.concatWith(Flux.error(failure)) : decoded;
		}

		Flux<T> finish() {
			if (this.ended) {
				return Flux.empty();
			}
			String where = this.decoder.hasPartialEnvelope() ? ", in the middle of a message" : "";
			this.endedEarly = ConnectClient.this.http.failures().streamCut(this.operation,
					"the stream ended after " + this.received + " message(s)" + where
							+ " without its end-of-stream message",
					null);
			return Flux.error(this.endedEarly);
		}

		/** A cut reported by the transport, told with how far the stream had got. */
		Throwable withProgress(StreamInterruptedException cut) {
			if (cut == this.endedEarly) {
				return cut;
			}
			return ConnectClient.this.http.failures().streamCut(this.operation,
					"the stream was cut after " + this.received + " message(s)", cut.getCause());
		}

		private void end(byte[] payload, int offset, int length) {
			EndStream end = readJson(payload, offset, length, EndStream.class);
			WireError error = end.error();
			if (error != null) {
				ConnectCode code = (error.code() != null)
						? ConnectCode.fromWireName(error.code()).orElse(ConnectCode.UNKNOWN) : ConnectCode.UNKNOWN;
				throw ConnectClient.this.http.failures().fromConnectError(this.operation, code, error.message());
			}
		}

		private <M> M readJson(byte[] payload, int offset, int length, Class<M> type) {
			try {
				return ConnectClient.this.http.json().read(payload, offset, length, type);
			}
			catch (JsonCodec.MalformedJsonException ex) {
				throw protocolError(String.valueOf(ex.getMessage()));
			}
		}

		private ProviderException protocolError(String problem) {
			return ConnectClient.this.http.failures().malformedBody(this.operation, 200, problem);
		}

	}

}
