package dev.sandboxer.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DownloadBodyTests {

	private static Flux<DataBuffer> chunks(byte[] content, int size) {
		return Flux.range(0, (content.length + size - 1) / size)
			.map((i) -> DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(content, i * size, Math.min(content.length, (i + 1) * size))));
	}

	private static byte[] content(int length) {
		byte[] content = new byte[length];
		for (int i = 0; i < length; i++) {
			content[i] = (byte) (i * 31);
		}
		return content;
	}

	@Test
	void bytesJoinEveryChunkInOrderAndAnEmptyBodyIsEmpty() {
		byte[] content = content(10_000);
		assertThat(DownloadBody.bytes(chunks(content, 999)).block()).isEqualTo(content);
		assertThat(DownloadBody.bytes(Flux.empty()).block()).isEmpty();
	}

	@Test
	void bytesStopAtTheLimit() {
		assertThatExceptionOfType(DataBufferLimitException.class)
			.isThrownBy(() -> DownloadBody.bytes(chunks(content(10_000), 1000), 5_000).block());
		assertThat(DownloadBody.bytes(chunks(content(5_000), 1000), 5_000).block()).hasSize(5_000);
	}

	@Test
	void aStreamDeliversTheBodyAsItArrives() throws IOException {
		byte[] content = content(100_000);
		try (InputStream stream = DownloadBody.stream(chunks(content, 4096))) {
			assertThat(stream.readAllBytes()).isEqualTo(content);
		}
	}

}
