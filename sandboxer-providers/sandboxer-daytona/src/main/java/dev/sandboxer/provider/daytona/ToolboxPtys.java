package dev.sandboxer.provider.daytona;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.PtyListener;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.ShellLine;
import dev.sandboxer.http.VendorWebSocket;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Terminals through the toolbox's PTY sessions ({@code apps/daemon/pkg/toolbox/process/pty} at b5a5d9e7):
 * {@code POST /process/pty} makes a session (started lazily, when this client connects, so no output is lost),
 * {@code GET .../connect} is a WebSocket whose first text frame says {@code connected} and whose binary frames are the
 * terminal's output; frames sent are its input. When the shell ends the toolbox closes the socket with
 * {@code {"exitCode":N}} as the reason, which reaches {@link PtyListener#onExit}.
 * <p>
 * Daytona names sessions, not processes: the pid is a number this client draws and names the session with
 * ({@code sandboxer-pty-<pid>}), usable from any client for resize, kill, input and listing (input from a client that
 * did not open the terminal connects first; that client sees no output). The toolbox always runs the user's login
 * shell; a {@code command} is typed into it as {@code exec <command>}, so the terminal becomes that program.
 * <p>
 * A terminal for another user (checked first by {@link OtherUsers}) has the line
 * {@code exec sudo -n -H -u <user> -- env <env> sh -c <command>} typed into it instead, or {@code ... sh -l} without
 * a command: every word strictly quoted, the environment in the line because sudo clears the one the toolbox gave the
 * shell.
 */
final class ToolboxPtys {

	static final String SESSION_PREFIX = "sandboxer-pty-";

	private static final Pattern OUR_SESSION = Pattern.compile(Pattern.quote(SESSION_PREFIX) + "([1-9][0-9]{0,9})");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String sandboxId;

	private final Toolbox toolbox;

	private final Connections connections;

	private final VendorWebSocket sockets;

	private final OtherUsers users;

	ToolboxPtys(String sandboxId, Toolbox toolbox, Connections connections, OtherUsers users) {
		this.sandboxId = sandboxId;
		this.toolbox = toolbox;
		this.connections = connections;
		this.sockets = new VendorWebSocket(toolbox.http());
		this.users = users;
	}

	CompletableFuture<PtyInfo> create(CreatePtyRequest request, PtyListener listener) {
		String user = request.user();
		String firstLine;
		try {
			firstLine = (user != null)
					? "exec " + ShellLine.runAs(user, request.env(), (request.command() != null)
							? ShellLine.shellCommand(request.command()) : "sh -l")
					: (request.command() != null) ? "exec " + request.command() : null;
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		int pid = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		String sessionId = SESSION_PREFIX + pid;
		// With a user the environment is in the typed line (sudo would clear the shell's).
		Map<String, String> envs = (user != null || request.env().isEmpty()) ? null : request.env();
		ToolboxJson.PtyCreate body = new ToolboxJson.PtyCreate(sessionId, request.cwd(), envs, request.cols(),
				request.rows(), true);
		Mono<Void> able = (user != null) ? this.users.check(user, "createPty") : Mono.empty();
		return able.then(this.toolbox.call(HttpMethod.POST, "createPty", "/process/pty", Map.of()))
			.flatMap((call) -> call.neverRepeat().jsonBody(body).discard())
			.then(connect(sessionId, "createPty", listener))
			.flatMap((connection) -> {
				if (firstLine != null) {
					connection.send((firstLine + "\n").getBytes(StandardCharsets.UTF_8));
				}
				return Mono.just(new PtyInfo(pid, request.rows(), request.cols()));
			})
			.toFuture();
	}

	CompletableFuture<Void> send(int pid, byte[] data) {
		String sessionId = SESSION_PREFIX + pid;
		VendorWebSocket.Connection open = this.connections.get(key(sessionId));
		Mono<VendorWebSocket.Connection> connection = (open != null) ? Mono.just(open)
				: connect(sessionId, "sendPtyInput", PtyListener.NONE);
		return connection.flatMap((socket) -> socket.send(data) ? Mono.<Void>empty()
				: Mono.<Void>error(new StreamInterruptedException(DaytonaSettings.PROVIDER,
						DaytonaSettings.PROVIDER + " sendPtyInput: the terminal " + pid + " has ended", null)))
			.toFuture();
	}

	CompletableFuture<Void> resize(int pid, int rows, int cols) {
		return this.toolbox
			.call(HttpMethod.POST, "resizePty", "/process/pty/{p0}/resize", Map.of(), SESSION_PREFIX + pid)
			.flatMap((call) -> call.safeToRepeat().jsonBody(new ToolboxJson.PtyResize(cols, rows)).discard())
			.toFuture();
	}

	CompletableFuture<Void> kill(int pid) {
		String sessionId = SESSION_PREFIX + pid;
		return this.toolbox.call(HttpMethod.DELETE, "killPty", "/process/pty/{p0}", Map.of(), sessionId)
			.flatMap(HttpCall::discard)
			.doOnSuccess((ignored) -> this.connections.close(key(sessionId)))
			.toFuture();
	}

	/** The active terminals opened through this provider (other PTY sessions have no pid and are left out). */
	CompletableFuture<List<PtyInfo>> list() {
		return this.toolbox.call(HttpMethod.GET, "listPty", "/process/pty", Map.of())
			.flatMap((call) -> call.json(ToolboxJson.PtyList.class))
			.map((answer) -> {
				List<PtyInfo> found = new ArrayList<>();
				for (ToolboxJson.PtySession session : (answer.sessions() != null) ? answer.sessions()
						: List.<ToolboxJson.PtySession>of()) {
					Matcher ours = OUR_SESSION.matcher(session.id());
					long pid = ours.matches() ? Long.parseLong(ours.group(1)) : 0;
					if (pid > 0 && pid <= Integer.MAX_VALUE && !Boolean.FALSE.equals(session.active())) {
						found.add(new PtyInfo((int) pid, (session.rows() != null) ? session.rows() : 0,
								(session.cols() != null) ? session.cols() : 0));
					}
				}
				return List.copyOf(found);
			})
			.toFuture();
	}

	/** Closes the sockets of this sandbox's terminals (when the sandbox is killed). */
	void close() {
		this.connections.closeAll(this.sandboxId + "/");
	}

	private String key(String sessionId) {
		return this.sandboxId + "/" + sessionId;
	}

	/**
	 * Connects and waits for the toolbox's {@code connected} control frame; its {@code error} frame is a
	 * {@link ProviderException} with the toolbox's words.
	 */
	private Mono<VendorWebSocket.Connection> connect(String sessionId, String operation, PtyListener listener) {
		return this.toolbox.uri("/process/pty/{p0}/connect", Map.of(), sessionId).flatMap((uri) -> {
			Sinks.One<Boolean> ready = Sinks.one();
			VendorWebSocket.Listener frames = new VendorWebSocket.Listener() {

				@Override
				public void onText(String text) {
					JsonNode control = control(text);
					if (control == null) {
						listener.onOutput(text.getBytes(StandardCharsets.UTF_8));
					}
					else if ("connected".equals(control.path("status").asString(""))) {
						ready.tryEmitValue(Boolean.TRUE);
					}
					else if ("error".equals(control.path("status").asString(""))) {
						ready.tryEmitError(new ProviderException(DaytonaSettings.PROVIDER, DaytonaSettings.PROVIDER
								+ " " + operation + ": " + toolbox.http().redactor().redact(control.path("error").asString("")),
								null, "pty_error", null));
					}
				}

				@Override
				public void onBinary(byte[] data) {
					listener.onOutput(data);
				}

				@Override
				public void onClose(int code, String reason) {
					connections.remove(key(sessionId));
					ready.tryEmitError(new StreamInterruptedException(DaytonaSettings.PROVIDER,
							DaytonaSettings.PROVIDER + " " + operation + ": the terminal closed before it was ready ("
									+ code + ")",
							null));
					listener.onExit(exitCode(reason));
				}

				@Override
				public void onError(SandboxerException error) {
					connections.remove(key(sessionId));
					ready.tryEmitError(error);
				}

			};
			return this.sockets.open(uri, headers(), operation, frames)
				.flatMap((connection) -> ready.asMono().thenReturn(connection).doOnError((error) -> connection.close()))
				.doOnNext((connection) -> this.connections.put(key(sessionId), connection));
		});
	}

	private HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		this.toolbox.credentials().headers().forEach(headers::set);
		return headers;
	}

	private static JsonNode control(String text) {
		try {
			JsonNode node = JSON.readTree(text);
			return (node != null && node.isObject() && "control".equals(node.path("type").asString(""))) ? node : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The exit code from the close reason {@code {"exitCode":N,...}}; -1 when the reason says none. */
	static int exitCode(String reason) {
		try {
			JsonNode node = JSON.readTree(reason);
			return (node != null && node.has("exitCode")) ? node.get("exitCode").asInt(-1) : -1;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	/** The open terminal sockets of one provider, by sandbox and session id, so that closing the provider closes them. */
	static final class Connections {

		private final Map<String, VendorWebSocket.Connection> open = new ConcurrentHashMap<>();

		VendorWebSocket.Connection get(String sessionId) {
			return this.open.get(sessionId);
		}

		void put(String sessionId, VendorWebSocket.Connection connection) {
			VendorWebSocket.Connection previous = this.open.put(sessionId, connection);
			if (previous != null && previous != connection) {
				previous.close();
			}
		}

		void remove(String sessionId) {
			this.open.remove(sessionId);
		}

		void close(String sessionId) {
			VendorWebSocket.Connection connection = this.open.remove(sessionId);
			if (connection != null) {
				connection.close();
			}
		}

		void closeAll() {
			closeAll("");
		}

		void closeAll(String keyPrefix) {
			this.open.keySet().removeIf((key) -> {
				if (key.startsWith(keyPrefix)) {
					VendorWebSocket.Connection connection = this.open.get(key);
					if (connection != null) {
						connection.close();
					}
					return true;
				}
				return false;
			});
		}

	}

}
