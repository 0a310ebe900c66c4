package dev.sandboxer.provider.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request and its answer over the Engine's Unix socket, on a connection of its own that is closed
 * afterwards (a local socket connects in well under a millisecond, so there is no pool to keep). The channel is
 * non-blocking and every wait goes through a selector with a deadline: the connection must be made within
 * {@code connectTimeout}, and the whole answer must arrive within {@code responseTimeout} of the request being sent;
 * past either the exchange fails with a {@link SocketTimeoutException}. Answers are read up to {@code maxBody} bytes.
 * <p>
 * The JDK's own socket (Java 16+) is used rather than docker-java's transport, whose first use costs most of a second
 * of class loading: this is what makes a fresh JVM's first create as quick as the Engine.
 */
final class UnixSocketExchange {

	private final Path socket;

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	private final int maxBody;

	UnixSocketExchange(Path socket, Duration connectTimeout, Duration responseTimeout, int maxBody) {
		this.socket = socket;
		this.connectTimeout = connectTimeout;
		this.responseTimeout = responseTimeout;
		this.maxBody = maxBody;
	}

	Path socket() {
		return this.socket;
	}

	/**
	 * Sends a request and reads its answer.
	 * @param method {@code GET}, {@code POST}, {@code DELETE}
	 * @param pathAndQuery the request target, already percent-encoded
	 * @param json a JSON body, or {@code null} for none
	 */
	HttpAnswer exchange(String method, String pathAndQuery, byte @Nullable [] json) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
				Selector selector = Selector.open()) {
			channel.configureBlocking(false);
			SelectionKey key = channel.register(selector, 0);
			long connectBy = System.nanoTime() + this.connectTimeout.toNanos();
			if (!channel.connect(UnixDomainSocketAddress.of(this.socket))) {
				key.interestOps(SelectionKey.OP_CONNECT);
				while (!channel.finishConnect()) {
					await(selector, connectBy, "connecting to the Docker Engine at unix://" + this.socket);
				}
			}
			long answerBy = System.nanoTime() + this.responseTimeout.toNanos();
			ByteBuffer request = ByteBuffer.wrap(request(method, pathAndQuery, json));
			key.interestOps(SelectionKey.OP_WRITE);
			while (request.hasRemaining()) {
				if (channel.write(request) == 0) {
					await(selector, answerBy, "sending " + method + " to the Docker Engine");
				}
			}
			key.interestOps(SelectionKey.OP_READ);
			InputStream in = new BufferedInputStream(new ChannelInput(channel, selector, answerBy, method), 8192);
			return HttpAnswer.read(in, this.maxBody);
		}
	}

	private static byte[] request(String method, String pathAndQuery, byte @Nullable [] json) {
		StringBuilder head = new StringBuilder(160).append(method)
			.append(' ')
			.append(pathAndQuery)
			.append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: sandboxer\r\nConnection: close\r\n");
		if (json != null) {
			head.append("Content-Type: application/json\r\nContent-Length: ").append(json.length).append("\r\n");
		}
		else if (method.equals("POST")) {
			head.append("Content-Length: 0\r\n");
		}
		byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
		if (json == null) {
			return headBytes;
		}
		byte[] all = new byte[headBytes.length + json.length];
		System.arraycopy(headBytes, 0, all, 0, headBytes.length);
		System.arraycopy(json, 0, all, headBytes.length, json.length);
		return all;
	}

	/** Waits for the key's interest until the deadline; past it, fails. */
	private static void await(Selector selector, long deadline, String what) throws IOException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new SocketTimeoutException("no progress " + what + " in time");
		}
		selector.select(Math.max(1, left / 1_000_000));
		selector.selectedKeys().clear();
	}

	/** The channel read as a stream, every read waiting at most until the answer's deadline. */
	private static final class ChannelInput extends InputStream {

		private final SocketChannel channel;

		private final Selector selector;

		private final long deadline;

		private final String method;

		ChannelInput(SocketChannel channel, Selector selector, long deadline, String method) {
			this.channel = channel;
			this.selector = selector;
			this.deadline = deadline;
			this.method = method;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			ByteBuffer target = ByteBuffer.wrap(bytes, offset, length);
			while (true) {
				int n = this.channel.read(target);
				if (n != 0) {
					return n;
				}
				await(this.selector, this.deadline, "waiting for the Docker Engine's answer to " + this.method);
			}
		}

	}

}
