package dev.sandboxer.http;

import java.io.IOException;
import java.io.InputStream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A file's content as the body of a vendor's upload, for the two forms of {@code writeFile}: bytes in memory, and a
 * stream sent as it is read, never held whole.
 */
public final class UploadBody {

	/** How much of a stream is read at a time: each chunk is sent before the next is read. */
	static final int CHUNK_BYTES = 64 * 1024;

	private UploadBody() {
	}

	/** Bytes wrapped, not copied, each time the body is sent. */
	public static Flux<DataBuffer> of(byte[] content) {
		return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(content)));
	}

	/**
	 * A stream read one chunk at a time as the connection takes them. Reading an {@link InputStream} blocks, so it
	 * happens on Reactor's bounded elastic threads, never on an event loop.
	 */
	public static Flux<DataBuffer> of(InputStream content) {
		return DataBufferUtils.readInputStream(() -> content, DefaultDataBufferFactory.sharedInstance, CHUNK_BYTES)
			.subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * The upload, closing the caller's stream however it ends, also when it fails before reading any of it (the
	 * contract of {@code writeFileStream}).
	 */
	public static <T> Mono<T> closingAfter(Mono<T> upload, InputStream content) {
		return upload.doFinally((signal) -> closeQuietly(content));
	}

	private static void closeQuietly(InputStream content) {
		try {
			content.close();
		}
		catch (IOException ex) {
			// The upload's own outcome is what the caller needs; a failing close adds nothing to it.
		}
	}

}
