package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The keystrokes for one terminal: {@link #send} queues them from any thread, and docker-java's hijack thread reads
 * them as a stream and writes them to the Engine. Unlike a piped stream it does not care which threads write, and
 * {@link #close()} ends the stream for the reader.
 */
final class PtyInput extends InputStream {

	private static final byte[] END = new byte[0];

	private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();

	private byte[] current = new byte[0];

	private int position;

	private volatile boolean closed;

	void send(byte[] data) {
		if (this.closed) {
			throw new IllegalStateException("The terminal is closed");
		}
		if (data.length > 0) {
			this.chunks.add(data.clone());
		}
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n < 0) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (this.position == this.current.length) {
			if (this.current == END) {
				return -1;
			}
			try {
				this.current = this.chunks.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted while waiting for terminal input");
			}
			this.position = 0;
			if (this.current == END) {
				return -1;
			}
		}
		int n = Math.min(length, this.current.length - this.position);
		System.arraycopy(this.current, this.position, buffer, offset, n);
		this.position += n;
		return n;
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.chunks.add(END);
		}
	}

}
