package dev.sandboxer.spi;

// UTF-8 per RFC 3629; U+FFFD for malformed input as java.nio.charset.CodingErrorAction.REPLACE gives.

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ChunkDecoderTests {

	@Test
	void joinsCharactersCutAtAnyByte() {
		String text = "aé€😀z ünï";
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		for (int cut = 0; cut <= bytes.length; cut++) {
			for (int secondCut = cut; secondCut <= bytes.length; secondCut++) {
				Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();
				String decoded = decoder.decode(bytes, 0, cut) + decoder.decode(bytes, cut, secondCut - cut)
						+ decoder.decode(bytes, secondCut, bytes.length - secondCut) + decoder.finish();
				assertThat(decoded).as("cut at %d and %d", cut, secondCut).isEqualTo(text);
			}
		}
	}

	@Test
	void holdsBackOnlyTheUnfinishedCharacter() {
		byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
		Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();
		assertThat(decoder.decode(new byte[] { 'a', euro[0], euro[1] })).isEqualTo("a");
		assertThat(decoder.decode(new byte[] { euro[2], 'b' })).isEqualTo("€b");
	}

	@Test
	void replacesBytesThatAreNotUtf8AndAnUnfinishedEnd() {
		Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();
		assertThat(decoder.decode(new byte[] { 'a', (byte) 0xFF, 'b' })).isEqualTo("a\uFFFDb");
		assertThat(decoder.decode(new byte[] { (byte) 0xE2, (byte) 0x82 })).isEmpty();
		assertThat(decoder.finish()).isEqualTo("\uFFFD");
	}

}
