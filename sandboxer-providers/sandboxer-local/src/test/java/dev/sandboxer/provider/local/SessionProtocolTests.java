package dev.sandboxer.provider.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session's request lines and output markers, without an Engine. */
class SessionProtocolTests {

	@Test
	void aRequestIsOneLineOfQuotedFieldsAndWhatCannotTravelSoIsRefused() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("A", "it's $(x) `y`\nz");
		byte[] line = SessionProtocol.request("id1", "/tmp/a b", "echo '$HOME'\nexit 3", env);

		assertThat(new String(line, StandardCharsets.UTF_8))
			.isEqualTo(" 'id1' '/tmp/a b' 'echo '\\''$HOME'\\'''\"$nl\"'exit 3' 'A=it'\\''s $(x) `y`'\"$nl\"'z'\n");
		assertThat(SessionProtocol.request("id", null, "a\0b", Map.of())).as("NUL").isNull();
		assertThat(SessionProtocol.request("id", "tmp", "true", Map.of())).as("relative cwd").isNull();
		assertThat(SessionProtocol.request("id", null, "true", Map.of("A-B", "1"))).as("not a shell name").isNull();
		assertThat(SessionProtocol.request("id", null, "true", Map.of("_a1", "1"))).isNotNull();
	}

	@Test
	void theEndMarkerIsFoundWhateverTheChunksAndOtherBytesPassThrough() {
		String id = SessionProtocol.newId();
		byte[] stream = ("before, from a daemon\001sandboxer-start:" + id + "\001out\001sandboxer-end:x:1\001\001sandboxer-"
				+ "\001sandboxer-end:" + id + ":42\001" + "after, from a daemon").getBytes(StandardCharsets.US_ASCII);
		for (int chunk = 1; chunk <= stream.length; chunk++) {
			MarkedStream marked = new MarkedStream();
			marked.reset(id, true);
			ByteArrayOutputStream delivered = new ByteArrayOutputStream();
			for (int at = 0; at < stream.length; at += chunk) {
				marked.feed(stream, at, Math.min(chunk, stream.length - at), delivered::write);
			}

			assertThat(delivered.toString(StandardCharsets.US_ASCII)).as("chunks of %d", chunk)
				.isEqualTo("out\001sandboxer-end:x:1\001\001sandboxer-");
			assertThat(marked.started()).isTrue();
			assertThat(marked.exit()).isEqualTo("42");
			assertThat(marked.ended()).isTrue();
		}
	}

	@Test
	void aMarkerPrefixFollowedByTooLongACodeIsTheCommandsOwnBytes() {
		String id = SessionProtocol.newId();
		String notAMarker = "\001sandboxer-end:" + id + ":12345678901234567890";
		MarkedStream marked = new MarkedStream();
		marked.reset(id, false);
		ByteArrayOutputStream delivered = new ByteArrayOutputStream();
		byte[] bytes = (notAMarker + "\001sandboxer-end:" + id + ":0\001").getBytes(StandardCharsets.US_ASCII);
		marked.feed(bytes, 0, bytes.length, delivered::write);

		assertThat(delivered.toString(StandardCharsets.US_ASCII)).isEqualTo(notAMarker);
		assertThat(marked.exit()).isEqualTo("0");
	}

	@Test
	void untilItsStartMarkerACommandHasNotStartedAndNothingIsHandedOn() {
		String id = SessionProtocol.newId();
		MarkedStream marked = new MarkedStream();
		marked.reset(id, true);
		ByteArrayOutputStream delivered = new ByteArrayOutputStream();
		byte[] other = ("late daemon output\001sandboxer-start:" + SessionProtocol.newId() + "\001\001sandboxer-sta")
			.getBytes(StandardCharsets.US_ASCII);
		marked.feed(other, 0, other.length, delivered::write);

		assertThat(marked.started()).isFalse();
		assertThat(delivered.size()).isZero();

		byte[] rest = ("rt:" + id + "\001hi\n").getBytes(StandardCharsets.US_ASCII);
		marked.feed(rest, 0, rest.length, delivered::write);
		assertThat(marked.started()).isTrue();
		assertThat(delivered.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\n");
	}

	@Test
	void commandIdsAreSixteenHexDigitsAndDiffer() {
		String one = SessionProtocol.newId();
		assertThat(one).matches("[0-9a-f]{16}");
		assertThat(SessionProtocol.newId()).isNotEqualTo(one);
	}

	@Test
	void theSessionSettingIsOnByDefaultAndTakesOnlyTrueOrFalse() {
		assertThat(LocalSettings.from(ProviderConfig.builder().build()).sessions()).isTrue();
		assertThat(LocalSettings.from(ProviderConfig.builder().extra("session", "false").build()).sessions()).isFalse();
		assertThat(LocalSettings.ALL).contains(LocalSettings.SESSION);
		assertThatThrownBy(() -> LocalSettings.from(ProviderConfig.builder().extra("session", "off").build()))
			.isInstanceOf(BadConfigException.class)
			.hasMessageContaining("session");
	}

}
