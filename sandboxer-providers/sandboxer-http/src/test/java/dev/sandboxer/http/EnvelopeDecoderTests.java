package dev.sandboxer.http;

// Envelopes per connectrpc/connectrpc.com docs/protocol.md at c72686b6 ("Enveloped-Message").

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Envelopes per connectrpc.com/docs/protocol ("Enveloped-Message"), built byte by byte by {@link Envelopes}. */
class EnvelopeDecoderTests {

	private final List<String> decoded = new ArrayList<>();

	private final List<Integer> flags = new ArrayList<>();

	private final EnvelopeDecoder.EnvelopeHandler collect = (flag, payload, offset, length) -> {
		this.flags.add(flag);
		this.decoded.add(new String(payload, offset, length, StandardCharsets.UTF_8));
	};

	@Test
	void decodesEveryEnvelopeWhereverTheChunksAreCut() {
		byte[] stream = Envelopes.concat(Envelopes.message("{\"a\":1}"), Envelopes.message(""),
				Envelopes.message("{\"b\":\"" + "x".repeat(20_000) + "\"}"), Envelopes.endOfStream("{}"));
		for (int cut = 1; cut < stream.length; cut += 997) {
			this.decoded.clear();
			this.flags.clear();
			EnvelopeDecoder decoder = new EnvelopeDecoder(1 << 20);
			decoder.feed(stream, 0, cut, this.collect);
			decoder.feed(stream, cut, stream.length - cut, this.collect);
			assertThat(this.decoded).hasSize(4);
			assertThat(this.decoded.get(0)).isEqualTo("{\"a\":1}");
			assertThat(this.decoded.get(1)).isEmpty();
			assertThat(this.decoded.get(2)).hasSize(20_008);
			assertThat(this.flags).containsExactly(0, 0, 0, 2);
			assertThat(decoder.hasPartialEnvelope()).isFalse();
		}
	}

	@Test
	void decodesAStreamFedOneByteAtATime() {
		byte[] stream = Envelopes.concat(Envelopes.message("{\"n\":1}"), Envelopes.message("{\"n\":2}"));
		EnvelopeDecoder decoder = new EnvelopeDecoder(64);
		for (int i = 0; i < stream.length; i++) {
			decoder.feed(stream, i, 1, this.collect);
			if (i == 11) {
				assertThat(this.decoded).containsExactly("{\"n\":1}");
				assertThat(decoder.hasPartialEnvelope()).isFalse();
			}
		}
		assertThat(this.decoded).containsExactly("{\"n\":1}", "{\"n\":2}");
	}

	@Test
	void keepsAPartialEnvelopeUntilTheRestArrives() {
		byte[] stream = Envelopes.message("{\"n\":1}");
		EnvelopeDecoder decoder = new EnvelopeDecoder(64);
		decoder.feed(stream, 0, 3, this.collect);
		assertThat(this.decoded).isEmpty();
		assertThat(decoder.hasPartialEnvelope()).isTrue();
	}

	@Test
	void refusesAnEnvelopeLargerThanTheLimitFromItsHeaderAlone() {
		byte[] header = { 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF };
		EnvelopeDecoder decoder = new EnvelopeDecoder(1024);
		assertThatExceptionOfType(EnvelopeDecoder.FrameTooLargeException.class)
			.isThrownBy(() -> decoder.feed(header, 0, header.length, this.collect))
			.withMessageContaining("2147483647 bytes")
			.withMessageContaining("limit of 1024");
	}

	@Test
	void framesARequestAsTheProtocolSays() {
		byte[] framed = EnvelopeDecoder.envelope(0, "{\"x\":true}".getBytes(StandardCharsets.UTF_8));
		assertThat(Envelopes.read(framed)).containsExactly(new Envelopes.Envelope(0, "{\"x\":true}"));
		assertThat(framed).startsWith(0, 0, 0, 0, 10);
	}

}
