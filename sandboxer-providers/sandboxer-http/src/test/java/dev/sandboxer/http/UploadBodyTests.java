package dev.sandboxer.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;

class UploadBodyTests {

	@Test
	void aStreamIsSentInChunksWithEveryByteInOrderAndReadOffNonBlockingThreads() {
		byte[] content = new byte[3 * UploadBody.CHUNK_BYTES + 17];
		new Random(7).nextBytes(content);
		AtomicBoolean readOnNonBlockingThread = new AtomicBoolean();
		InputStream stream = new ByteArrayInputStream(content) {
			@Override
			public synchronized int read(byte[] buffer, int offset, int length) {
				if (Thread.currentThread() instanceof NonBlocking) {
					readOnNonBlockingThread.set(true);
				}
				return super.read(buffer, offset, length);
			}
		};

		List<DataBuffer> chunks = UploadBody.of(stream).collectList().block();

		assertThat(chunks).hasSize(4);
		byte[] joined = DataBufferUtils.join(reactor.core.publisher.Flux.fromIterable(chunks))
			.map((buffer) -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			})
			.block();
		assertThat(joined).isEqualTo(content);
		assertThat(readOnNonBlockingThread).isFalse();
	}

	@Test
	void bytesAreSentWholeEachTimeTheBodyIsSubscribed() {
		byte[] content = "hello".getBytes();
		assertThat(UploadBody.of(content).collectList().block()).hasSize(1);
		assertThat(UploadBody.of(content).blockLast().readableByteCount()).isEqualTo(5);
	}

	@Test
	void theCallersStreamIsClosedWhenTheUploadFailsBeforeReadingIt() {
		AtomicBoolean closed = new AtomicBoolean();
		InputStream stream = new ByteArrayInputStream(new byte[10]) {
			@Override
			public void close() throws IOException {
				closed.set(true);
				super.close();
			}
		};

		Mono<Void> upload = UploadBody.closingAfter(Mono.error(new IllegalStateException("refused")), stream);

		assertThat(upload.onErrorResume((ex) -> Mono.empty()).block()).isNull();
		assertThat(closed).isTrue();
	}

}
