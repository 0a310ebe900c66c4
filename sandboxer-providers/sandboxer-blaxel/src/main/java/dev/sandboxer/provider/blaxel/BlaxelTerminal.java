package dev.sandboxer.provider.blaxel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sandboxer.PtyListener;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorWebSocket;
import dev.sandboxer.model.PtyInfo;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One open terminal: its socket to sandbox-api's {@code /terminal/ws} and the messages it sends there
 * ({@code TerminalMessage {type, data, cols, rows}} of {@code handler/terminal.go}). Sent as binary frames, which the
 * handler reads like text ones ({@code conn.ReadMessage} ignores the frame type).
 */
final class BlaxelTerminal {

	private final int pid;

	private final JsonCodec json;

	private final PtyListener listener;

	private final AtomicBoolean exited = new AtomicBoolean();

	private final Sinks.Empty<Void> ended = Sinks.empty();

	private volatile int rows;

	private volatile int cols;

	private volatile VendorWebSocket.@Nullable Connection socket;

	private volatile @Nullable Disposable keepalive;

	private final Runnable forget;

	/** @param forget run once when the terminal has ended, to drop it from the registry that holds it */
	BlaxelTerminal(int pid, int rows, int cols, JsonCodec json, PtyListener listener, Runnable forget) {
		this.pid = pid;
		this.rows = rows;
		this.cols = cols;
		this.json = json;
		this.listener = listener;
		this.forget = forget;
	}

	int pid() {
		return this.pid;
	}

	PtyInfo info() {
		return new PtyInfo(this.pid, this.rows, this.cols);
	}

	void attach(VendorWebSocket.Connection socket, Disposable keepalive) {
		this.socket = socket;
		this.keepalive = keepalive;
		if (this.exited.get()) {
			close();
		}
	}

	/** Types text into the terminal; false when its socket has ended. */
	boolean input(String text) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "input");
		message.put("data", text);
		return send(message);
	}

	boolean resize(int rows, int cols) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "resize");
		message.put("cols", cols);
		message.put("rows", rows);
		boolean sent = send(message);
		if (sent) {
			this.rows = rows;
			this.cols = cols;
		}
		return sent;
	}

	private boolean send(Map<String, Object> message) {
		VendorWebSocket.Connection open = this.socket;
		return open != null && !this.exited.get() && open.send(this.json.write(message));
	}

	/** Completes when the socket has ended, for whatever reason. */
	Mono<Void> ended() {
		return this.ended.asMono();
	}

	boolean hasEnded() {
		return this.exited.get();
	}

	/**
	 * The socket ended: the terminal's listener hears {@code onExit(-1)} once (sandbox-api tells no exit code, and
	 * closes the socket without a reason when the shell ends).
	 */
	void onEnded() {
		if (this.exited.compareAndSet(false, true)) {
			stop();
			this.forget.run();
			this.ended.tryEmitEmpty();
			this.listener.onExit(-1);
		}
	}

	/** Closes the socket (sandbox-api keeps the shell until it ends or has been without a client for 10 minutes). */
	void close() {
		stop();
		VendorWebSocket.Connection open = this.socket;
		if (open != null) {
			open.close();
		}
		onEnded();
	}

	private void stop() {
		Disposable timer = this.keepalive;
		if (timer != null) {
			timer.dispose();
		}
	}

	@Override
	public String toString() {
		return "BlaxelTerminal[" + this.pid + "]";
	}

}
