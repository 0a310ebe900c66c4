package dev.sandboxer.provider.blaxel;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.ShellLine;
import dev.sandboxer.http.VendorWebSocket;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpHeaders;

/**
 * Terminals through sandbox-api's terminal WebSocket ({@code GET /terminal/ws?cols&rows&workingDir&sessionId},
 * blaxel-ai/sandbox {@code handler/terminal.go} and {@code handler/terminal/session_manager.go}). The socket carries
 * JSON messages: {@code output} and {@code error} from the server, {@code input} and {@code resize} to it. sandbox-api
 * keeps a terminal by its {@code sessionId} while its shell lives, across sockets, and ends it (killing everything
 * in it) when the shell exits, or 10 minutes after its last socket closed if it printed nothing since.
 * <p>
 * What sandbox-api does not have, and what this does instead:
 * <ul>
 * <li><b>No pid.</b> The pid is a number this client draws and names the session with ({@code sandboxer-pty-<pid>}),
 * as the Daytona provider does. It is not a process id of the sandbox.</li>
 * <li><b>No list.</b> {@code listPty} lists the terminals this client (this provider instance) opened and whose
 * socket is still open. A pid from elsewhere is {@link NotFoundException}: connecting to a session id that sandbox-api
 * does not have would silently start a new shell.</li>
 * <li><b>No kill.</b> {@code killPty} types Ctrl-C and Ctrl-D (interrupting the foreground program, then ending a shell
 * at its prompt) until sandbox-api closes the socket, which it does once the shell has ended: the terminal is gone
 * then. A program that ignores both keeps the terminal alive: after the provider's default timeout the socket is
 * closed and {@code killPty} fails with {@link ProviderException} {@code terminal_still_running}.</li>
 * <li><b>No command, environment or user.</b> The terminal runs the sandbox's shell; a {@code command} is typed into
 * it as {@code exec sh -c <command>} (with {@code env <env>} before it), an environment alone as {@code export} words,
 * another user as {@code exec sudo -n -H -u <user> -- env <env> sh -c <command>} (or {@code sh -l}), every word
 * strictly quoted ({@link ShellLine}), after {@link OtherUsers} checked the user.</li>
 * <li><b>No exit code.</b> When the shell ends, sandbox-api closes the socket on the next message it receives; a no-op
 * (empty input) is sent every 20 s, which also keeps the edge in front of the sandbox from cutting a quiet socket.
 * The listener then hears {@code onExit(-1)}.</li>
 * </ul>
 * Output and input are text: sandbox-api sends the terminal's bytes as a JSON string (invalid UTF-8 becomes U+FFFD)
 * and writes input as the UTF-8 of the string it receives, so {@code sendPtyInput} takes whole UTF-8 sequences and
 * refuses other bytes with {@link IllegalArgumentException}. {@code createPty} completes with the terminal's first
 * message (its prompt, or sandbox-api's error, such as a working directory that does not exist), or after the default
 * timeout for a terminal that prints nothing.
 */
final class SandboxTerminals {

	static final String SESSION_PREFIX = "sandboxer-pty-";

	/** How often an idle socket sends a no-op: below the edge's one-minute cut of silent connections. */
	static final Duration KEEPALIVE = Duration.ofSeconds(20);

	/** How often {@code killPty} types its keys again while it waits for the terminal to end. */
	private static final Duration KILL_REPEAT = Duration.ofMillis(250);

	/** The terminal size is a uint16 in sandbox-api; a larger value would silently become the default. */
	private static final int MAX_SIZE = 65535;

	private static final Logger logger = LoggerFactory.getLogger(SandboxTerminals.class);

	private final String sandbox;

	private final SandboxApi api;

	private final TerminalSockets sockets;

	private final OtherUsers users;

	private final VendorWebSocket webSocket;

	private final Duration keepalive;

	SandboxTerminals(String sandbox, SandboxApi api, TerminalSockets sockets, OtherUsers users) {
		this(sandbox, api, sockets, users, KEEPALIVE);
	}

	SandboxTerminals(String sandbox, SandboxApi api, TerminalSockets sockets, OtherUsers users, Duration keepalive) {
		this.sandbox = sandbox;
		this.api = api;
		this.sockets = sockets;
		this.users = users;
		this.webSocket = new VendorWebSocket(api.http());
		this.keepalive = keepalive;
	}

	Mono<PtyInfo> create(CreatePtyRequest request, PtyListener listener) {
		return Mono.defer(() -> {
			requireSize(request.rows(), request.cols());
			String firstLine = firstLine(request);
			Mono<Void> able = (request.user() != null) ? this.users.check(request.user(), "createPty") : Mono.empty();
			return able.then(Mono.defer(() -> open(request, listener, firstLine)));
		});
	}

	Mono<Void> send(int pid, byte[] data) {
		return Mono.defer(() -> {
			String text = text(data);
			BlaxelTerminal terminal = find(pid, "sendPtyInput");
			return terminal.input(text) ? Mono.<Void>empty() : Mono.error(ended(pid, "sendPtyInput"));
		});
	}

	Mono<Void> resize(int pid, int rows, int cols) {
		return Mono.defer(() -> {
			requireSize(rows, cols);
			BlaxelTerminal terminal = find(pid, "resizePty");
			return terminal.resize(rows, cols) ? Mono.<Void>empty() : Mono.error(ended(pid, "resizePty"));
		});
	}

	Mono<Void> kill(int pid) {
		return Mono.defer(() -> {
			BlaxelTerminal terminal = find(pid, "killPty");
			Duration limit = this.api.defaultTimeout();
			Mono<Void> typing = Flux.interval(Duration.ZERO, KILL_REPEAT)
				.takeWhile((tick) -> terminal.input("\u0003\u0004"))
				.then();
			return Mono.firstWithSignal(terminal.ended(), typing.then(terminal.ended()))
				.timeout(limit, Mono.defer(() -> {
					terminal.close();
					return Mono.error(new ProviderException(BlaxelSettings.PROVIDER, "blaxel killPty: terminal " + pid
							+ " did not end on Ctrl-C and Ctrl-D within " + limit.toMillis() + " ms; its socket is "
							+ "closed, and sandbox-api ends it once it has been 10 minutes without a client and "
							+ "without output", null, "terminal_still_running", null));
				}));
		});
	}

	Mono<List<PtyInfo>> list() {
		return Mono.fromSupplier(() -> this.sockets.of(this.sandbox)
			.stream()
			.filter((terminal) -> !terminal.hasEnded())
			.map(BlaxelTerminal::info)
			.sorted(Comparator.comparingInt(PtyInfo::pid))
			.toList());
	}

	void closeAll() {
		this.sockets.closeAll(this.sandbox);
	}

	private Mono<PtyInfo> open(CreatePtyRequest request, PtyListener listener, @Nullable String firstLine) {
		int pid = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		StringBuilder query = new StringBuilder("/terminal/ws?cols=").append(request.cols())
			.append("&rows=")
			.append(request.rows())
			.append("&sessionId=")
			.append(SESSION_PREFIX)
			.append(pid);
		if (request.cwd() != null) {
			query.append("&workingDir=").append(PathSegment.encode(request.cwd()));
		}
		HttpHeaders headers = new HttpHeaders();
		this.api.auth().forEach(headers::set);
		JsonCodec json = this.api.http().json();
		BlaxelTerminal[] self = new BlaxelTerminal[1];
		BlaxelTerminal terminal = new BlaxelTerminal(pid, request.rows(), request.cols(), json, listener,
				() -> this.sockets.remove(this.sandbox, self[0]));
		self[0] = terminal;
		Sinks.One<Boolean> ready = Sinks.one();
		VendorWebSocket.Listener frames = new VendorWebSocket.Listener() {

			@Override
			public void onText(String text) {
				message(text.getBytes(StandardCharsets.UTF_8));
			}

			@Override
			public void onBinary(byte[] data) {
				message(data);
			}

			private void message(byte[] content) {
				Map<?, ?> message;
				try {
					message = json.read(content, Map.class);
				}
				catch (JsonCodec.MalformedJsonException ex) {
					logger.debug("blaxel terminal {}: a message that is not JSON was dropped", pid);
					return;
				}
				Object type = message.get("type");
				Object data = message.get("data");
				String said = (data instanceof String string) ? string : "";
				if ("output".equals(type)) {
					// The output first: createPty completes on ready, and its caller must find the output heard.
					listener.onOutput(said.getBytes(StandardCharsets.UTF_8));
					ready.tryEmitValue(Boolean.TRUE);
				}
				else if ("error".equals(type)) {
					String redacted = api.http().redactor().redact(said);
					if (ready.tryEmitError(new ProviderException(BlaxelSettings.PROVIDER,
							"blaxel createPty: sandbox-api could not open the terminal: " + redacted, null,
							"terminal_error", null)).isFailure()) {
						logger.warn("blaxel terminal {}: {}", pid, redacted);
					}
				}
			}

			@Override
			public void onClose(int code, String reason) {
				ended();
			}

			@Override
			public void onError(SandboxerException error) {
				ended();
			}

			private void ended() {
				ready.tryEmitError(new StreamInterruptedException(BlaxelSettings.PROVIDER,
						"blaxel createPty: the terminal closed before it answered", null));
				terminal.onEnded();
			}

		};
		return this.webSocket.open(this.api.uri(query.toString()), headers, "createPty", frames)
			.onErrorMap(NotFoundException.class, (absent) -> new NotSupportedException(BlaxelSettings.PROVIDER,
					"createPty", "this sandbox's sandbox-api has no terminal endpoint (/terminal/ws answered 404: it is "
							+ "disabled with DISABLE_TERMINAL, or too old); use runCommand or startCommand instead"))
			.flatMap((socket) -> {
				terminal.attach(socket, Flux.interval(this.keepalive, this.keepalive)
					.subscribe((tick) -> terminal.input("")));
				this.sockets.put(this.sandbox, terminal);
				if (firstLine != null) {
					terminal.input(firstLine + "\n");
				}
				return ready.asMono()
					.timeout(this.api.defaultTimeout(), Mono.just(Boolean.TRUE))
					.doOnError((error) -> terminal.close())
					.doOnCancel(terminal::close)
					.thenReturn(terminal.info());
			});
	}

	private BlaxelTerminal find(int pid, String operation) {
		BlaxelTerminal terminal = this.sockets.get(this.sandbox, pid);
		if (terminal == null || terminal.hasEnded()) {
			throw new NotFoundException(BlaxelSettings.PROVIDER, "blaxel " + operation + ": no open terminal " + pid
					+ " in sandbox " + this.sandbox + " from this client (sandbox-api lists no terminals, so only the "
					+ "ones this client opened can be reached)");
		}
		return terminal;
	}

	/** The line typed first: what sandbox-api's terminal cannot be told in its query. */
	static @Nullable String firstLine(CreatePtyRequest request) {
		String command = request.command();
		if (request.user() != null) {
			return "exec " + ShellLine.runAs(request.user(), request.env(),
					(command != null) ? ShellLine.shellCommand(command) : "sh -l");
		}
		if (command != null) {
			return "exec " + ShellLine.env(request.env()) + ShellLine.shellCommand(command);
		}
		if (!request.env().isEmpty()) {
			// env validates the names; export takes the same quoted NAME=value words.
			return "export " + ShellLine.env(request.env()).substring("env ".length()).strip();
		}
		return null;
	}

	private static String text(byte[] data) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(data))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("sandbox-api's terminal takes text: the input is not whole UTF-8 "
					+ "sequences", ex);
		}
	}

	private static void requireSize(int rows, int cols) {
		if (rows < 1 || rows > MAX_SIZE || cols < 1 || cols > MAX_SIZE) {
			throw new IllegalArgumentException("A terminal is 1 to " + MAX_SIZE + " rows and columns, got " + rows
					+ "x" + cols);
		}
	}

	private static StreamInterruptedException ended(int pid, String operation) {
		return new StreamInterruptedException(BlaxelSettings.PROVIDER, "blaxel " + operation + ": the terminal " + pid
				+ " has ended", null);
	}

}
