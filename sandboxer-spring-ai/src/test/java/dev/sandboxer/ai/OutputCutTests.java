package dev.sandboxer.ai;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link OutputCut} and {@link Utf8}: where text is cut. */
class OutputCutTests {

	@Test
	void leavesTextWithinTheLimitAlone() {
		OutputCut cut = OutputCut.of("short", 100);

		assertThat(cut.text()).isEqualTo("short");
		assertThat(cut.truncated()).isFalse();
	}

	@Test
	void keepsTheStartAndTheEndWithinTheLimitAndSaysHowMuchWasCut() {
		String text = "a".repeat(1000) + "b".repeat(1000);

		OutputCut cut = OutputCut.of(text, 200);

		assertThat(cut.truncated()).isTrue();
		assertThat(cut.originalLength()).isEqualTo(2000);
		assertThat(cut.text()).hasSizeLessThanOrEqualTo(200)
			.startsWith("aaa")
			.endsWith("bbb")
			.contains("1800 characters cut");
	}

	@Test
	void neverSplitsASurrogatePair() {
		String text = "😀".repeat(500);

		OutputCut cut = OutputCut.of(text, 101);

		String kept = cut.text().replaceAll("\n\\[\\.\\.\\. \\d+ characters cut \\.\\.\\.\\]\n", "");
		assertThat(kept.codePoints().allMatch((codePoint) -> codePoint == "😀".codePointAt(0))).isTrue();
	}

	@Test
	void cutsUtf8BytesOnlyBetweenCharacters() {
		byte[] bytes = "aé€😀".getBytes(StandardCharsets.UTF_8);
		// a=1 byte, é=2, €=3, 😀=4: whole characters end at 1, 3, 6 and 10.
		assertThat(Utf8.wholeCharacters(bytes, 1)).isEqualTo(1);
		assertThat(Utf8.wholeCharacters(bytes, 2)).isEqualTo(1);
		assertThat(Utf8.wholeCharacters(bytes, 3)).isEqualTo(3);
		assertThat(Utf8.wholeCharacters(bytes, 4)).isEqualTo(3);
		assertThat(Utf8.wholeCharacters(bytes, 5)).isEqualTo(3);
		assertThat(Utf8.wholeCharacters(bytes, 6)).isEqualTo(6);
		assertThat(Utf8.wholeCharacters(bytes, 9)).isEqualTo(6);
		assertThat(Utf8.wholeCharacters(bytes, 10)).isEqualTo(10);
	}

}
