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

	/**
	 * Splits a log that arrives in pieces (a followed log's WebSocket frames), where a marker may be cut between two
	 * pieces: up to two trailing bytes that could start one are held back until the next piece.
	 */
	static final class Demux {

		/** Receives runs of one stream's bytes. */
		interface Sink {

			void accept(boolean stdout, byte[] data, int offset, int length);

		}

		private final Sink sink;

		private byte[] held = new byte[0];

		/** 0 before the first marker (bytes dropped), 1 stdout, 2 stderr. */
		private int current;

		Demux(Sink sink) {
			this.sink = sink;
		}

		void feed(byte[] piece) {
			byte[] data = piece;
			if (this.held.length > 0) {
				data = new byte[this.held.length + piece.length];
				System.arraycopy(this.held, 0, data, 0, this.held.length);
				System.arraycopy(piece, 0, data, this.held.length, piece.length);
				this.held = new byte[0];
			}
			int runStart = 0;
			int i = 0;
			while (i < data.length) {
				int marker = marker(data, i);
				if (marker != 0) {
					emit(data, runStart, i);
					this.current = marker;
					i += 3;
					runStart = i;
				}
				else if (data.length - i < 3 && couldStartMarker(data, i)) {
					emit(data, runStart, i);
					this.held = java.util.Arrays.copyOfRange(data, i, data.length);
					return;
				}
				else {
					i++;
				}
			}
			emit(data, runStart, data.length);
		}

		/** The log has ended: bytes held back were output after all. */
		void finish() {
			byte[] rest = this.held;
			this.held = new byte[0];
			emit(rest, 0, rest.length);
		}

		private void emit(byte[] data, int from, int to) {
			if (to > from && this.current != 0) {
				this.sink.accept(this.current == 1, data, from, to - from);
			}
		}

		private static boolean couldStartMarker(byte[] data, int from) {
			byte first = data[from];
			if (first != 1 && first != 2) {
				return false;
			}
			for (int i = from + 1; i < data.length; i++) {
				if (data[i] != first) {
					return false;
				}
			}
			return true;
		}

	}

}
