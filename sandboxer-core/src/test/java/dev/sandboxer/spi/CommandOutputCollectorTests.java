package dev.sandboxer.spi;

import java.nio.charset.StandardCharsets;

import dev.sandboxer.CommandOutputListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandOutputCollectorTests {

	@Test
	void keepsTheStreamsApartAndHandsTheListenerWholeCharacters() {
		StringBuilder heard = new StringBuilder();
		CommandOutputCollector output = new CommandOutputCollector(new CommandOutputListener() {
			@Override
			public void onStdout(String chunk) {
				heard.append("out:").append(chunk).append('|');
			}

			@Override
			public void onStderr(String chunk) {
				heard.append("err:").append(chunk).append('|');
			}
		});
		byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
		output.stdout(euro, 0, 2);
		output.stderr("oops".getBytes(StandardCharsets.UTF_8), 0, 4);
		output.stdout(euro, 2, 1);
		output.finish();
		assertThat(output.stdout()).isEqualTo("€");
		assertThat(output.stderr()).isEqualTo("oops");
		assertThat(heard).hasToString("err:oops|out:€|");
	}

	@Test
	void aFailingListenerDoesNotLoseOutput() {
		CommandOutputCollector output = new CommandOutputCollector(new CommandOutputListener() {
			@Override
			public void onStdout(String chunk) {
				throw new IllegalStateException("listener bug");
			}
		});
		output.stdout("one ".getBytes(StandardCharsets.UTF_8), 0, 4);
		output.stdout("two".getBytes(StandardCharsets.UTF_8), 0, 3);
		assertThat(output.stdout()).isEqualTo("one two");
	}

	@Test
	void keepsAtMostTheLimitButStillTellsTheListenerEverything() {
		StringBuilder heard = new StringBuilder();
		CommandOutputCollector output = new CommandOutputCollector(new CommandOutputListener() {
			@Override
			public void onStdout(String chunk) {
				heard.append(chunk);
			}
		}, 5);
		output.stdout("abcdefgh".getBytes(StandardCharsets.UTF_8), 0, 8);
		assertThat(output.stdout()).isEqualTo("abcde");
		assertThat(output.truncated()).isTrue();
		assertThat(heard).hasToString("abcdefgh");
	}

	@Test
	void anUnfinishedCharacterAtTheEndBecomesAReplacementOnce() {
		CommandOutputCollector output = new CommandOutputCollector(CommandOutputListener.NONE);
		output.stdout(new byte[] { 'a', (byte) 0xe2, (byte) 0x82 }, 0, 3);
		output.finish();
		output.finish();
		assertThat(output.stdout()).isEqualTo("a\uFFFD");
	}

}
