package dev.sandboxer.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sandboxer.http.ServerSentEventDecoder.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// The parsing rules are those of the WHATWG HTML standard, section 9.2.6 "Interpreting an event stream".
class ServerSentEventDecoderTests {

	@Test
	void eventsSplitAnywhereAreDecodedWhole() {
		byte[] stream = ("event: update\r\ndata: {\"output\":\"h\u00e9\"}\r\nid: 7\r\n\r\n: a comment\n"
				+ "data: one\ndata: two\n\ndata\n\nretry: 10\n\n").getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < stream.length; cut++) {
			ServerSentEventDecoder decoder = new ServerSentEventDecoder(1024);
			List<Event> events = new ArrayList<>(decoder.decode(stream, 0, cut));
			events.addAll(decoder.decode(stream, cut, stream.length - cut));
			assertThat(events).as("cut at %d", cut)
				.containsExactly(new Event("update", "{\"output\":\"h\u00e9\"}", "7"),
						new Event("message", "one\ntwo", "7"), new Event("message", "", "7"));
		}
	}

	@Test
	void anEventWithoutItsEmptyLineIsDropped() {
		ServerSentEventDecoder decoder = new ServerSentEventDecoder(1024);
		byte[] stream = "data: cut".getBytes(StandardCharsets.UTF_8);
		assertThat(decoder.decode(stream, 0, stream.length)).isEmpty();
		decoder.finish();
		byte[] next = "\n\n".getBytes(StandardCharsets.UTF_8);
		assertThat(decoder.decode(next, 0, next.length)).isEmpty();
	}

	@Test
	void aLineLongerThanTheLimitIsRefused() {
		ServerSentEventDecoder decoder = new ServerSentEventDecoder(8);
		byte[] stream = "data: 0123456789".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(ServerSentEventDecoder.LineTooLongException.class)
			.isThrownBy(() -> decoder.decode(stream, 0, stream.length));
	}

}
