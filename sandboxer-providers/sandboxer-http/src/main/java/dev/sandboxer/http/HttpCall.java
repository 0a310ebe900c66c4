package dev.sandboxer.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClientRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One request to a vendor: what to send, how long to wait, whether it may be repeated, and how to read the answer.
 * Every way it can end is either the value asked for or a typed {@link SandboxerException}.
 * <p>
 * GET, HEAD and DELETE are repeated on transient failures (see {@link RetryPolicy}); anything else only when marked
 * {@link #safeToRepeat()}, and never when its body is a one-time stream. Nothing is sent until a terminal method
 * ({@link #json}, {@link #discard}, {@link #stream}...) is subscribed to.
 */
public final class HttpCall {

	/**
	 * Reads an error answer in the terms of a protocol that defines its own error bodies (Connect does). Returns
	 * {@code null} to leave the answer to the shared mapping in {@link HttpFailures}.
	 */
	@FunctionalInterface
	public interface ErrorReader {

		@Nullable SandboxerException read(String operation, int status, HttpHeaders headers, byte[] body);

	}

	/** A whole answer. */
	public record Answer<T>(int status, HttpHeaders headers, T body) {
	}

	/**
	 * An answer whose headers have arrived and whose body is still coming. The body must be subscribed to (or
	 * cancelled) by the caller; its buffers are the caller's to release. A failure while it streams is a
	 * {@link StreamInterruptedException}, or a {@link dev.sandboxer.error.ProviderTimeoutException} when the vendor
	 * went silent for longer than the call's timeout. The body is delivered on Reactor's bounded elastic threads,
	 * never on an event loop.
	 */
	public record StreamedAnswer(int status, HttpHeaders headers, Flux<DataBuffer> body) {
	}

	private static final Logger logger = LoggerFactory.getLogger(HttpCall.class);

	private static final Set<HttpMethod> REPEATABLE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
			HttpMethod.DELETE);

	/** Error bodies are read up to this size; the rest is drained and dropped. */
	private static final int ERROR_BODY_LIMIT = 64 * 1024;

	private static final byte[] EMPTY = new byte[0];

	/** Buffers of a streamed answer that may wait for its reader off the event loop. */
	private static final int STREAM_PREFETCH = 8;

	private final VendorHttpClient client;

	private final HttpMethod method;

	private final URI uri;

	private final HttpHeaders headers = new HttpHeaders();

	private String operation;

	/** The operation as observations see it: its given name, else only the method (the path may hold ids). */
	private String operationName;

	private @Nullable Duration timeout;

	private @Nullable Boolean safeToRepeat;

	private @Nullable BodyInserter<?, ? super ClientHttpRequest> body;

	private boolean bodyReplayable = true;

	private boolean longLived;

	private final List<ErrorReader> errorReaders = new ArrayList<>(2);

	HttpCall(VendorHttpClient client, HttpMethod method, URI uri) {
		this.client = client;
		this.method = method;
		this.uri = uri;
		this.operation = method.name() + " " + uri.getRawPath();
		this.operationName = method.name();
	}

	/** What the call does, in the user's words ({@code info}, {@code runCommand}), for messages and logs. */
	public HttpCall operation(String operation) {
		this.operation = Objects.requireNonNull(operation, "operation");
		this.operationName = operation;
		return this;
	}

	public HttpCall header(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	/** A header whose value is a credential: it is registered with the redactor before anything is sent. */
	public HttpCall secretHeader(String name, String value) {
		this.client.redactor().addSecret(value);
		return header(name, value);
	}

	/**
	 * How long this call may wait for the vendor: the longest silence allowed while the answer is awaited or read.
	 * Replaces the provider's default timeout, so a command allowed ten minutes is not cut at thirty seconds.
	 */
	public HttpCall timeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A call timeout must be positive, got " + timeout);
		}
		this.timeout = timeout;
		return this;
	}

	/** What the call does, as given to {@link #operation(String)}. */
	public String operation() {
		return this.operation;
	}

	/** Allows repeating a call whose method is not idempotent, because the vendor documents it as safe. */
	public HttpCall safeToRepeat() {
		this.safeToRepeat = true;
		return this;
	}

	/**
	 * Marks a call whose answer streams for a long time (a running command, a terminal): it takes its connection
	 * from the client's stream pool, so that many such streams cannot starve ordinary calls.
	 */
	public HttpCall longLived() {
		this.longLived = true;
		return this;
	}

	/** Forbids repeating, whatever the method. */
	public HttpCall neverRepeat() {
		this.safeToRepeat = false;
		return this;
	}

	public HttpCall jsonBody(Object value) {
		return body(this.client.json().write(value), MediaType.APPLICATION_JSON);
	}

	public HttpCall body(byte[] content, MediaType type) {
		this.headers.setContentType(type);
		this.body = BodyInserters.fromValue(content);
		this.bodyReplayable = true;
		return this;
	}

	/** A body sent as it is produced, never held whole; a call with one is never repeated. */
	public HttpCall streamBody(Publisher<DataBuffer> content, MediaType type) {
		this.headers.setContentType(type);
		this.body = BodyInserters.fromDataBuffers(content);
		this.bodyReplayable = false;
		return this;
	}

	/** A {@code multipart/form-data} body; parts may be streams, so a call with one is never repeated. */
	public HttpCall multipartBody(MultiValueMap<String, HttpEntity<?>> parts) {
		this.body = BodyInserters.fromMultipartData(parts);
		this.bodyReplayable = false;
		return this;
	}

	/**
	 * Reads error answers a protocol's or a vendor's own way before the shared mapping (see {@link ErrorReader}).
	 * Readers are asked in the order they were added; the first answer wins.
	 */
	public HttpCall errorReader(ErrorReader errorReader) {
		this.errorReaders.add(Objects.requireNonNull(errorReader, "errorReader"));
		return this;
	}

	/** The JSON body of a 2xx answer, as a record or an array of records. */
	public <T> Mono<T> json(Class<T> type) {
		return jsonAnswer(type).map(Answer::body);
	}

	/** The JSON body of a 2xx answer with its status and headers (pagination tokens live there). */
	public <T> Mono<Answer<T>> jsonAnswer(Class<T> type) {
		return bytes().map((answer) -> new Answer<>(answer.status(), answer.headers(),
				decode(answer.body(), type, answer.status())));
	}

	/** The whole body of a 2xx answer; empty when there is none. */
	public Mono<Answer<byte[]>> bytes() {
		return exchange((response) -> response.bodyToMono(byte[].class)
			.defaultIfEmpty(EMPTY)
			.map((content) -> new Answer<>(response.statusCode().value(), response.headers().asHttpHeaders(), content)));
	}

	/** Completes on a 2xx answer, ignoring its body. */
	public Mono<Void> discard() {
		return exchange((response) -> response.releaseBody().thenReturn(Boolean.TRUE)).then();
	}

	/**
	 * Completes when a 2xx answer's headers arrive, with its body still streaming. Repeats (when allowed) happen
	 * only before that point.
	 */
	public Mono<StreamedAnswer> stream() {
		Mono<StreamedAnswer> attempt = Mono.defer(() -> {
			long started = System.nanoTime();
			return request().retrieve()
				.onStatus((status) -> !status.is2xxSuccessful(),
						(response) -> errorBody(response).map((content) -> failure(response, content, started)))
				.toEntityFlux(DataBuffer.class)
				.map((entity) -> {
					logAnswer(entity.getStatusCode().value(), started);
					Flux<DataBuffer> content = (entity.getBody() != null) ? entity.getBody() : Flux.empty();
					// Read off the event loop: whatever consumes the body (decoders, user listeners) may be slow.
					// Demand still flows back, so a slow reader slows the socket instead of filling memory.
					return new StreamedAnswer(entity.getStatusCode().value(), entity.getHeaders(),
							content.onErrorMap(this::streamFailure)
								.publishOn(Schedulers.boundedElastic(), STREAM_PREFETCH)
								.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
				})
				.onErrorMap((error) -> !(error instanceof SandboxerException), this::transportFailure);
		});
		return this.client.retryPolicy().apply(attempt, isSafeToRepeat(), describe());
	}

	private <T> Mono<T> exchange(Function<ClientResponse, Mono<T>> onSuccess) {
		Mono<T> attempt = Mono.defer(() -> {
			long started = System.nanoTime();
			return request().exchangeToMono((response) -> {
				if (response.statusCode().is2xxSuccessful()) {
					logAnswer(response.statusCode().value(), started);
					return onSuccess.apply(response);
				}
				return errorBody(response).flatMap((content) -> Mono.error(failure(response, content, started)));
			}).onErrorMap((error) -> !(error instanceof SandboxerException), this::transportFailure);
		});
		return this.client.retryPolicy().apply(attempt, isSafeToRepeat(), describe());
	}

	private WebClient.RequestHeadersSpec<?> request() {
		WebClient.RequestBodySpec spec = (this.longLived ? this.client.streamWebClient() : this.client.webClient())
			.method(this.method)
			.uri(this.uri)
			.attribute(VendorHttpClient.OPERATION_ATTRIBUTE, this.operationName)
			.headers((target) -> target.addAll(this.headers));
		Duration callTimeout = this.timeout;
		if (callTimeout != null) {
			spec = spec.httpRequest((request) -> {
				Object nativeRequest = request.getNativeRequest();
				if (nativeRequest instanceof HttpClientRequest reactorRequest) {
					reactorRequest.responseTimeout(callTimeout);
				}
			});
		}
		return (this.body != null) ? spec.body(this.body) : spec;
	}

	private SandboxerException failure(ClientResponse response, byte[] content, long started) {
		int status = response.statusCode().value();
		HttpHeaders answerHeaders = response.headers().asHttpHeaders();
		logAnswer(status, started);
		for (ErrorReader reader : this.errorReaders) {
			SandboxerException own = reader.read(this.operation, status, answerHeaders, content);
			if (own != null) {
				return own;
			}
		}
		return this.client.failures().fromResponse(this.operation, status, answerHeaders, content);
	}

	private <T> T decode(byte[] content, Class<T> type, int status) {
		try {
			return this.client.json().read(content, type);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.client.failures().malformedBody(this.operation, status, String.valueOf(ex.getMessage()));
		}
	}

	private SandboxerException transportFailure(Throwable error) {
		logger.debug("{} {}: {} failed: {}", this.client.provider(), this.operation, target(), error.toString());
		return this.client.failures().fromTransport(this.operation, target(), error);
	}

	/**
	 * A failure while the body streams: a timeout stays a timeout and a typed error stays itself; anything else
	 * (a reset, a closed connection, a broken chunk) means the answer was cut short.
	 */
	private Throwable streamFailure(Throwable error) {
		SandboxerException mapped = this.client.failures().fromTransport(this.operation, target(), error);
		if (mapped instanceof ProviderTimeoutException || mapped instanceof StreamInterruptedException
				|| isInChain(mapped, error)) {
			return mapped;
		}
		return this.client.failures().streamCut(this.operation,
				"the answer from " + target() + " was cut before its end", error);
	}

	private static boolean isInChain(Throwable candidate, Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause == candidate) {
				return true;
			}
		}
		return false;
	}

	private boolean isSafeToRepeat() {
		boolean safe = (this.safeToRepeat != null) ? this.safeToRepeat : REPEATABLE_METHODS.contains(this.method);
		return safe && this.bodyReplayable;
	}

	private void logAnswer(int status, long started) {
		if (logger.isDebugEnabled()) {
			logger.debug("{} {}: {} -> {} in {} ms", this.client.provider(), this.operation,
					this.client.redactor().redact(this.method.name() + " " + this.uri), status,
					(System.nanoTime() - started) / 1_000_000);
		}
	}

	private String target() {
		String withoutQuery = this.uri.getScheme() + "://" + this.uri.getRawAuthority() + this.uri.getRawPath();
		return this.method.name() + " " + this.client.redactor().redact(withoutQuery);
	}

	private String describe() {
		return this.client.provider() + " " + this.operation;
	}

	private static Mono<byte[]> errorBody(ClientResponse response) {
		return response.bodyToFlux(DataBuffer.class).collect(ByteArrayOutputStream::new, (out, buffer) -> {
			try {
				int room = ERROR_BODY_LIMIT - out.size();
				if (room > 0) {
					byte[] chunk = new byte[Math.min(room, buffer.readableByteCount())];
					buffer.read(chunk);
					out.writeBytes(chunk);
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).map(ByteArrayOutputStream::toByteArray).onErrorReturn(EMPTY);
	}

	@Override
	public String toString() {
		return "HttpCall[" + this.operation + ", " + target() + "]";
	}

}
