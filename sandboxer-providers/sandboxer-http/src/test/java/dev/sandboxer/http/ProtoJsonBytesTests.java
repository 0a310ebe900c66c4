package dev.sandboxer.http;

// proto3 JSON mapping (protobuf.dev "ProtoJSON Format"): bytes as standard or URL-safe base64, padding optional.

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.annotation.JsonDeserialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** proto3 JSON mapping for {@code bytes}: standard or URL-safe base64, padding optional. */
class ProtoJsonBytesTests {

	private final JsonCodec json = new JsonCodec();

	record Holder(@JsonDeserialize(using = ProtoJsonBytes.class) byte[] data) {
	}

	@Test
	void readsStandardAndUrlSafeBase64WithOrWithoutPadding() {
		byte[] expected = { (byte) 0xFB, (byte) 0xFF, (byte) 0xBF, 'a' };
		assertThat(read("{\"data\":\"+/+/YQ==\"}")).isEqualTo(expected);
		assertThat(read("{\"data\":\"+/+/YQ\"}")).isEqualTo(expected);
		assertThat(read("{\"data\":\"-_-_YQ==\"}")).isEqualTo(expected);
		assertThat(read("{\"data\":\"\"}")).isEmpty();
	}

	@Test
	void refusesWhatIsNotBase64() {
		assertThatExceptionOfType(JsonCodec.MalformedJsonException.class)
			.isThrownBy(() -> read("{\"data\":\"not base64!\"}"))
			.withMessageContaining("not base64");
		assertThatExceptionOfType(JsonCodec.MalformedJsonException.class).isThrownBy(() -> read("{\"data\":12}"));
	}

	private byte[] read(String text) {
		return this.json.read(text.getBytes(StandardCharsets.UTF_8), Holder.class).data();
	}

}
