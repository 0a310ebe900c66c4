package dev.sandboxer.provider.daytona;

import java.io.ByteArrayOutputStream;

/**
 * Splits a session command's log into stdout and stderr. The toolbox writes each piece of output behind a marker,
 * {@code 01 01 01} for stdout and {@code 02 02 02} for stderr ({@code libs/common-go/pkg/log/read_multiplex_log.go}),
 * and sends the log raw when asked with {@code X-Daytona-Split-Output: true}
 * ({@code apps/daemon/pkg/session/common.go}). Bytes before the first marker belong to neither and are dropped, as
 * the daemon's own demultiplexer does.
 */
final class LogStreams {

	static final String SPLIT_OUTPUT_HEADER = "X-Daytona-Split-Output";

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	private LogStreams() {
	}

	static LogStreams split(byte[] log) {
		LogStreams streams = new LogStreams();
		ByteArrayOutputStream current = null;
		int i = 0;
		while (i < log.length) {
			int marker = marker(log, i);
			if (marker == 1) {
				current = streams.stdout;
				i += 3;
			}
			else if (marker == 2) {
				current = streams.stderr;
				i += 3;
			}
			else {
				if (current != null) {
					current.write(log[i]);
				}
				i++;
			}
		}
		return streams;
	}

	private static int marker(byte[] log, int at) {
		if (at + 3 > log.length) {
			return 0;
		}
		byte first = log[at];
		if ((first == 1 || first == 2) && log[at + 1] == first && log[at + 2] == first) {
			return first;
		}
		return 0;
	}

	byte[] stdout() {
		return this.stdout.toByteArray();
	}

	byte[] stderr() {
		return this.stderr.toByteArray();
	}

}
