package dev.sandboxer.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LineDecoderTests {

	private final List<String> lines = new ArrayList<>();

	private final LineDecoder.LineHandler collect = (bytes, offset, length) -> this.lines
		.add(new String(bytes, offset, length, StandardCharsets.UTF_8));

	@Test
	void linesCutAnywhereAreJoined() {
		LineDecoder decoder = new LineDecoder(1024);
		byte[] all = "{\"a\":1}\n{\"b\":\"é\"}\r\n\nlast".getBytes(StandardCharsets.UTF_8);
		for (byte b : all) {
			decoder.feed(new byte[] { b }, 0, 1, this.collect);
		}
		assertThat(this.lines).containsExactly("{\"a\":1}", "{\"b\":\"é\"}", "");
		decoder.finish(this.collect);
		assertThat(this.lines).containsExactly("{\"a\":1}", "{\"b\":\"é\"}", "", "last");
	}

	@Test
	void manyLinesInOneChunkAndAnOffset() {
		LineDecoder decoder = new LineDecoder(1024);
		byte[] chunk = "xxone\ntwo\nthr".getBytes(StandardCharsets.US_ASCII);
		decoder.feed(chunk, 2, chunk.length - 2, this.collect);
		decoder.feed("ee\n".getBytes(StandardCharsets.US_ASCII), 0, 3, this.collect);
		decoder.finish(this.collect);
		assertThat(this.lines).containsExactly("one", "two", "three");
	}

	@Test
	void aLineOverTheLimitIsRefusedBeforeItIsBuffered() {
		LineDecoder decoder = new LineDecoder(4);
		decoder.feed("1234\r\n".getBytes(StandardCharsets.US_ASCII), 0, 6, this.collect);
		assertThat(this.lines).containsExactly("1234");
		decoder.feed("1234".getBytes(StandardCharsets.US_ASCII), 0, 4, this.collect);
		assertThatExceptionOfType(LineDecoder.LineTooLongException.class)
			.isThrownBy(() -> decoder.feed("56".getBytes(StandardCharsets.US_ASCII), 0, 2, this.collect))
			.withMessageContaining("4 bytes");
	}

}
