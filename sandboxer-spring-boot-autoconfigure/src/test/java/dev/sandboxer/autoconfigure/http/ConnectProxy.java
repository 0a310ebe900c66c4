package dev.sandboxer.autoconfigure.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forward proxy as RFC 9110 section 9.3.6 defines CONNECT: it reads {@code CONNECT host:port}, opens that
 * connection, answers 200 and relays bytes both ways. It records each request head it was sent, so a test sees which
 * calls went through it and with which {@code Proxy-Authorization}.
 */
final class ConnectProxy implements AutoCloseable {

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	final List<String> requests = new CopyOnWriteArrayList<>();

	ConnectProxy() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.threads.execute(() -> tunnel(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void tunnel(Socket client) {
		try (client) {
			String head = readHead(client.getInputStream());
			this.requests.add(head);
			String[] requestLine = head.split("\r\n", 2)[0].split(" ");
			if (!"CONNECT".equals(requestLine[0])) {
				client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				return;
			}
			String[] target = requestLine[1].split(":");
			try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
				client.getOutputStream()
					.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				this.threads.execute(() -> relay(upstream, client));
				relay(client, upstream);
			}
		}
		catch (IOException ex) {
			// the client or the target went away: the tunnel ends
		}
	}

	private static void relay(Socket from, Socket to) {
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
			to.shutdownOutput();
		}
		catch (IOException ex) {
			// one side closed
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		while (matched < end.length) {
			int next = in.read();
			if (next == -1) {
				throw new IOException("closed before the request head ended");
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == end[0]) ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.threads.shutdownNow();
	}

}
