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
			InputStream in = send(channel, selector, method, pathAndQuery, json, false);
			return HttpAnswer.read(in, this.maxBody);
		}
	}

	/**
	 * Sends a {@code POST} that asks the Engine to turn the connection into a raw stream (an exec's start), and reads
	 * the head of its answer within the response timeout. Once upgraded, the connection is blocking and has no
	 * deadline, since a stream may rightly stay quiet for long: the caller owns it and closes it.
	 * @throws RefusedUpgrade with the Engine's answer when it did not upgrade
	 */
	Upgraded upgrade(String pathAndQuery, byte[] json) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		boolean upgraded = false;
		try {
			InputStream in;
			HttpAnswer refused;
			try (Selector selector = Selector.open()) {
				in = send(channel, selector, "POST", pathAndQuery, json, true);
				refused = HttpAnswer.readUpgrade(in, this.maxBody);
			}
			if (refused != null) {
				throw new RefusedUpgrade(refused);
			}
			// The selector's close deregistered the channel, which may now block; what the buffer read past the
			// head is the stream's first bytes, so the stream is read through it.
			channel.configureBlocking(true);
			upgraded = true;
			return new Upgraded(channel, in);
		}
		finally {
			if (!upgraded) {
				channel.close();
			}
		}
	}

	/** Connects, writes the request and answers the stream its answer is read from, within the deadlines. */
	private InputStream send(SocketChannel channel, Selector selector, String method, String pathAndQuery,
			byte @Nullable [] json, boolean upgrade) throws IOException {
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
		ByteBuffer request = ByteBuffer.wrap(request(method, pathAndQuery, json, upgrade));
		key.interestOps(SelectionKey.OP_WRITE);
		while (request.hasRemaining()) {
			if (channel.write(request) == 0) {
				await(selector, answerBy, "sending " + method + " to the Docker Engine");
			}
		}
		key.interestOps(SelectionKey.OP_READ);
		return new BufferedInputStream(new ChannelInput(channel, selector, answerBy, method), 8192);
	}

	private static byte[] request(String method, String pathAndQuery, byte @Nullable [] json, boolean upgrade) {
		StringBuilder head = new StringBuilder(160).append(method)
			.append(' ')
			.append(pathAndQuery)
			.append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: sandboxer\r\n")
			.append(upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "Connection: close\r\n");
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

	/**
	 * A connection the Engine turned into a raw stream.
	 * @param channel the connection, blocking: written to directly, closed by its owner
	 * @param input what the Engine sends on it, from the first byte after the answer's head
	 */
	record Upgraded(SocketChannel channel, InputStream input) {

	}

	/** The Engine answered an upgrade request without upgrading: the answer says why. */
	static final class RefusedUpgrade extends IOException {

		private static final long serialVersionUID = 1L;

		private final transient HttpAnswer answer;

		RefusedUpgrade(HttpAnswer answer) {
			super("The Docker Engine answered " + answer.status() + " instead of a stream");
			this.answer = answer;
		}

		HttpAnswer answer() {
			return this.answer;
		}

	}

	/**
	 * The channel read as a stream, every read waiting at most until the answer's deadline; once the channel is
	 * blocking (an upgraded stream), a read simply waits for bytes.
	 */
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
