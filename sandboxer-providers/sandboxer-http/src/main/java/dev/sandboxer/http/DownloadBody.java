package dev.sandboxer.http;

import java.io.InputStream;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A vendor's download as a file's content, for the two forms of {@code readFile}: bytes in memory, and a stream
 * delivered as it arrives.
 */
public final class DownloadBody {

	/** How many buffers of a download may wait for a slow reader of the stream before the connection is paused. */
	static final int READ_AHEAD_BUFFERS = 16;

	private DownloadBody() {
	}

	/** The whole body as bytes; empty for an empty body. */
	public static Mono<byte[]> bytes(Publisher<DataBuffer> body) {
		return copy(DataBufferUtils.join(body));
	}

	/**
	 * The whole body as bytes, reading no further than {@code maxBytes}: a larger body fails with Spring's
	 * {@link org.springframework.core.io.buffer.DataBufferLimitException} and is never held whole.
	 */
	public static Mono<byte[]> bytes(Publisher<DataBuffer> body, int maxBytes) {
		return copy(DataBufferUtils.join(body, maxBytes));
	}

	/** The body as an {@link InputStream} that delivers it as it arrives; the caller closes it. */
	public static InputStream stream(Publisher<DataBuffer> body) {
		return DataBufferUtils.subscriberInputStream(body, READ_AHEAD_BUFFERS);
	}

	private static Mono<byte[]> copy(Mono<DataBuffer> joined) {
		return joined.map((buffer) -> {
			try {
				byte[] content = new byte[buffer.readableByteCount()];
				buffer.read(content);
				return content;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty(new byte[0]);
	}

}
