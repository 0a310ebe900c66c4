package dev.sandboxer.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import org.reactivestreams.Publisher;

/**
 * A tiny local stand-in for E2B on Reactor Netty, with its own event loop so that it does not share the clients'.
 * It answers as the specs of e2b-dev/E2B (commit b8029973) say: the control plane's {@code GET /sandboxes/{id}}
 * ({@code SandboxDetail}) and envd's {@code process.Process/Start} as a Connect stream. A command containing
 * {@code big-output} is answered with {@value #BIG_FRAMES} data events of {@value #CHUNK_BYTES} bytes of stdout each
 * (100 MiB), sent one envelope at a time as the client reads: nothing is held whole.
 */
final class E2bBenchmarkServer implements AutoCloseable {

	static final String SANDBOX_ID = "sbxbench01";

	static final int CHUNK_BYTES = 32 * 1024;

	static final int BIG_FRAMES = 3200;

	static final long BIG_OUTPUT_BYTES = (long) CHUNK_BYTES * BIG_FRAMES;

	private static final byte[] DETAIL = ("""
			{"templateID":"base","alias":"base","sandboxID":"%s","clientID":"c","startedAt":"2026-01-02T03:04:05Z",
			 "endAt":"2026-01-02T03:09:05Z","envdVersion":"0.5.8","envdAccessToken":"envd-bench-token-42",
			 "domain":null,"cpuCount":2,"memoryMB":512,"diskSizeMB":1024,"metadata":{"bench":"yes"},"state":"running"}
			""").formatted(SANDBOX_ID).getBytes(StandardCharsets.UTF_8);

	private static final byte[] SMALL_STREAM = concat(
			envelope(0, "{\"event\":{\"start\":{\"pid\":42}}}"),
			envelope(0, "{\"event\":{\"data\":{\"stdout\":\"" + base64("hi\n".getBytes(StandardCharsets.UTF_8)) + "\"}}}"),
			envelope(0, "{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}"), envelope(2, "{}"));

	private static final byte[] BIG_START = envelope(0, "{\"event\":{\"start\":{\"pid\":43}}}");

	private static final byte[] BIG_DATA = bigDataFrame();

	private static final byte[] BIG_END = concat(envelope(0, "{\"event\":{\"end\":{\"exited\":true}}}"),
			envelope(2, "{}"));

	private final LoopResources loop = LoopResources.create("e2b-bench-server", 1, true);

	private final DisposableServer server;

	E2bBenchmarkServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.runOn(this.loop)
			.route((routes) -> routes
				.get("/sandboxes/{id}", (request, response) -> response.header("Content-Type", "application/json")
					.sendByteArray(Mono.just(DETAIL)))
				.post("/process.Process/Start", this::start))
			.bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** The envelope the SDK sends for a command, for the bare client to send the same bytes. */
	static byte[] startRequest(String command) {
		return envelope(0, "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"" + command
				+ "\"]},\"stdin\":false}");
	}

	private Publisher<Void> start(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			HttpServerResponse stream = response.header("Content-Type", "application/connect+json");
			if (!body.contains("big-output")) {
				return stream.sendByteArray(Mono.just(SMALL_STREAM)).then();
			}
			Flux<byte[]> envelopes = Flux.concat(Mono.just(BIG_START),
					Flux.range(0, BIG_FRAMES).map((i) -> BIG_DATA), Mono.just(BIG_END));
			return stream.send(envelopes.map(Unpooled::wrappedBuffer)).then();
		});
	}

	private static byte[] bigDataFrame() {
		byte[] chunk = new byte[CHUNK_BYTES];
		Random random = new Random(42);
		for (int i = 0; i < chunk.length; i++) {
			chunk[i] = (byte) ((i % 80 == 79) ? '\n' : ' ' + random.nextInt(95));
		}
		return envelope(0, "{\"event\":{\"data\":{\"stdout\":\"" + base64(chunk) + "\"}}}");
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	static byte[] envelope(int flags, String json) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		byte[] framed = new byte[5 + payload.length];
		framed[0] = (byte) flags;
		framed[1] = (byte) (payload.length >>> 24);
		framed[2] = (byte) (payload.length >>> 16);
		framed[3] = (byte) (payload.length >>> 8);
		framed[4] = (byte) payload.length;
		System.arraycopy(payload, 0, framed, 5, payload.length);
		return framed;
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] joined = new byte[length];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, joined, at, part.length);
			at += part.length;
		}
		return joined;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
		this.loop.disposeLater().block(Duration.ofSeconds(5));
	}

}
