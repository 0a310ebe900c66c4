package dev.sandboxer.provider.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.sandboxer.PtyListener;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminals of one sandbox handle: execs with a TTY whose connection, hijacked for input, lives in this JVM.
 * <p>
 * The pid each terminal is known by is its process's pid inside the container (the one {@code listProcesses}
 * shows), not the host pid the Engine reports. To learn it without a second call, a tiny wrapper prints its own pid
 * as a private escape sequence ({@code ESC ] sandboxer-pid ; <pid> BEL}) before it {@code exec}s the program, which
 * therefore keeps that pid; the sequence is taken off the stream before any output reaches the listener. The
 * wrapper also sets the size with {@code stty} before the program starts (API 1.41 has no size at exec creation)
 * and the Engine is told the size too, so that later resizes deliver {@code SIGWINCH}.
 */
final class PtySessions {

	private static final Logger logger = LoggerFactory.getLogger(PtySessions.class);

	private static final byte[] PID_PREFIX = "\033]sandboxer-pid;".getBytes(StandardCharsets.US_ASCII);

	private static final byte BELL = 7;

	private static final int MAX_HEAD = 64 * 1024;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	/** $1 rows, $2 cols, $3 the command (empty for a login shell). */
	private static final String WRAPPER = """
			printf '\\033]sandboxer-pid;%s\\007' "$$"
			stty rows "$1" cols "$2" 2>/dev/null
			if [ -n "$3" ]; then exec sh -c "$3"; fi
			if command -v bash >/dev/null 2>&1; then exec bash -l; fi
			exec sh -l
			""";


	private final DockerEngine engine;

	private final ContainerProcesses processes;

	private final String containerId;

	private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();

	PtySessions(DockerEngine engine, ContainerProcesses processes, String containerId) {
		this.engine = engine;
		this.processes = processes;
		this.containerId = containerId;
	}

	CompletableFuture<PtyInfo> create(CreatePtyRequest request, PtyListener listener) {
		PtyInput input = new PtyInput();
		CompletableFuture<PtyInfo> created = new CompletableFuture<>();
		this.engine.call(subject(), (client) -> {
			String command = (request.command() != null) ? request.command() : "";
			List<String> argv = List.of("sh", "-c", WRAPPER, "sh", Integer.toString(request.rows()),
					Integer.toString(request.cols()), command);
			String execId = ContainerExec
				.create(client, this.containerId, argv, environment(request), request.user(), request.cwd())
				.withTty(true)
				.withAttachStdin(true)
				.exec()
				.getId();
			DockerHttpClient.Response response = this.engine.startAttached(execId, true, input, subject());
			return new Session(execId, response, input, listener, request.rows(), request.cols(), created);
		}).whenComplete((session, error) -> {
			if (error != null) {
				input.close();
				created.completeExceptionally(error);
				return;
			}
			Thread reader = new Thread(session::pump, "sandboxer-local-pty-" + LocalSandbox.shortId(this.containerId));
			reader.setDaemon(true);
			reader.start();
		});
		this.engine.scheduler().schedule(() -> created.completeExceptionally(new ProviderTimeoutException(
				EngineErrors.PROVIDER, "The terminal in " + subject() + " did not start within " + START_TIMEOUT, null)),
				START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return created;
	}

	CompletableFuture<Void> sendInput(int pid, byte[] data) {
		try {
			require(pid).input.send(data);
			return CompletableFuture.completedFuture(null);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		catch (IllegalStateException ex) {
			return CompletableFuture.failedFuture(ended(pid));
		}
	}

	CompletableFuture<Void> resize(int pid, int rows, int cols) {
		Session session;
		try {
			session = require(pid);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.engine.call(subject(), (client) -> {
			client.resizeExecCmd(session.execId).withSize(rows, cols).exec();
			session.rows = rows;
			session.cols = cols;
			return null;
		});
	}

	CompletableFuture<Void> kill(int pid, Duration grace) {
		Session session;
		try {
			session = require(pid);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.processes.kill(this.containerId, pid, grace).whenComplete((ignored, error) -> session.input.close());
	}

	List<PtyInfo> list() {
		List<PtyInfo> open = new ArrayList<>();
		this.sessions.forEach((pid, session) -> open.add(new PtyInfo(pid, session.rows, session.cols)));
		open.sort(Comparator.comparingInt(PtyInfo::pid));
		return open;
	}

	private Session require(int pid) {
		Session session = this.sessions.get(pid);
		if (session == null) {
			throw ended(pid);
		}
		return session;
	}

	private NotFoundException ended(int pid) {
		return new NotFoundException(EngineErrors.PROVIDER,
				"No open terminal with pid " + pid + " in " + subject() + " (from this handle)");
	}

	private static List<String> environment(CreatePtyRequest request) {
		List<String> env = new ArrayList<>(ContainerExec.dockerEnvironment(request.env()));
		if (!request.env().containsKey("TERM")) {
			env.add("TERM=xterm-256color");
		}
		return env;
	}

	private String subject() {
		return ContainerExec.subject(this.containerId);
	}

	/** The bytes up to and including the pid sequence's BEL, or -1 while incomplete, or -2 when it is not there. */
	static int pidSequenceEnd(byte[] head) {
		int prefix = Math.min(head.length, PID_PREFIX.length);
		if (!Arrays.equals(head, 0, prefix, PID_PREFIX, 0, prefix)) {
			return -2;
		}
		for (int i = PID_PREFIX.length; i < head.length; i++) {
			if (head[i] == BELL) {
				return i + 1;
			}
			if (head[i] < '0' || head[i] > '9') {
				return -2;
			}
		}
		return -1;
	}

	/** One terminal: its connection, its input, and the thread that pumps its output to the listener. */
	private final class Session {

		final String execId;

		final PtyInput input;

		volatile int rows;

		volatile int cols;

		private final DockerHttpClient.Response response;

		private final PtyListener listener;

		private final CompletableFuture<PtyInfo> created;

		private int pid;

		Session(String execId, DockerHttpClient.Response response, PtyInput input, PtyListener listener, int rows,
				int cols, CompletableFuture<PtyInfo> created) {
			this.execId = execId;
			this.response = response;
			this.input = input;
			this.listener = listener;
			this.rows = rows;
			this.cols = cols;
			this.created = created;
		}

		void pump() {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try (InputStream output = this.response.getBody()) {
				for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
					if (this.pid > 0) {
						deliver(Arrays.copyOf(buffer, n));
						continue;
					}
					head.write(buffer, 0, n);
					byte[] bytes = head.toByteArray();
					int end = pidSequenceEnd(bytes);
					if (end > 0) {
						started(bytes, end);
					}
					else if (end == -2 && bytes.length > MAX_HEAD) {
						break;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("The terminal connection to {} ended: {}", subject(), ex.toString());
			}
			finally {
				this.response.close();
				this.input.close();
				ended(head);
			}
		}

		private void started(byte[] head, int end) {
			this.pid = Integer.parseInt(new String(head, PID_PREFIX.length, end - 1 - PID_PREFIX.length,
					StandardCharsets.US_ASCII));
			PtySessions.this.sessions.put(this.pid, this);
			PtySessions.this.engine.call(subject(), (client) -> {
				client.resizeExecCmd(this.execId).withSize(this.rows, this.cols).exec();
				return null;
			}).whenComplete((ignored, error) -> {
				if (error != null) {
					logger.debug("Could not size the terminal in {}: {}", subject(), error.getMessage());
				}
			});
			if (!this.created.complete(new PtyInfo(this.pid, this.rows, this.cols))) {
				// The caller gave up waiting (timeout or cancel): nobody will ever use this terminal, so end it.
				PtySessions.this.processes.kill(PtySessions.this.containerId, this.pid, Duration.ZERO);
				return;
			}
			if (head.length > end) {
				deliver(Arrays.copyOfRange(head, end, head.length));
			}
		}

		private void deliver(byte[] data) {
			try {
				this.listener.onOutput(data);
			}
			catch (RuntimeException ex) {
				logger.warn("A terminal listener failed; the terminal goes on", ex);
			}
		}

		private void ended(ByteArrayOutputStream head) {
			if (this.pid == 0) {
				String text = head.toString(StandardCharsets.UTF_8).strip();
				SandboxerException failure = ExecStartFailure.of(text, subject());
				this.created.completeExceptionally((failure != null) ? failure
						: new ProviderException(EngineErrors.PROVIDER,
								"The terminal in " + subject() + " ended before it started: " + text));
				return;
			}
			PtySessions.this.sessions.remove(this.pid, this);
			PtySessions.this.engine
				.call(subject(), (client) -> ContainerExec.exitCode(client, this.execId, PtySessions.this.containerId))
				.whenComplete((code, error) -> {
					try {
						this.listener.onExit((code != null) ? code : -1);
					}
					catch (RuntimeException ex) {
						logger.warn("A terminal listener failed on exit", ex);
					}
				});
		}

	}

}
