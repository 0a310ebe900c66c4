package dev.sandboxer.provider.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.PtyListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.PtyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Terminals: exec with a TTY, input in, output out, in-container pids, resize and kill. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPtyTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@OnBothImages
	void aShellTakesInputAndPrintsToTheListener(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		Screen screen = new Screen();

		PtyInfo pty = sandbox.createPty(CreatePtyRequest.builder()
			.size(30, 100)
			.cwd("/tmp")
			.env("PTY_GREETING", "hi-from-env")
			.build(), screen);

		assertThat(pty.rows()).isEqualTo(30);
		assertThat(pty.cols()).isEqualTo(100);
		assertThat(sandbox.listPty()).containsExactly(pty);
		assertThat(sandbox.listProcesses()).anySatisfy((process) -> assertThat(process.pid()).isEqualTo(pty.pid()));
		assertThat(screen.text()).doesNotContain("sandboxer-pid");

		sandbox.sendPtyInput(pty.pid(), "echo \"$PTY_GREETING:$(pwd):$$\"; stty size\n".getBytes(StandardCharsets.UTF_8));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(screen.text()).contains("hi-from-env:/tmp:" + pty.pid()).contains("30 100"));

		sandbox.resizePty(pty.pid(), 40, 120);
		sandbox.sendPtyInput(pty.pid(), "stty size\n".getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(screen.text()).contains("40 120"));
		assertThat(sandbox.listPty()).containsExactly(new PtyInfo(pty.pid(), 40, 120));

		sandbox.sendPtyInput(pty.pid(), "exit 5\n".getBytes(StandardCharsets.UTF_8));
		assertThat(screen.exit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(5);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sandbox.listPty()).isEmpty());
	}

	@Test
	void runsAGivenCommandAndKillPtyEndsIt() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.DEBIAN);
		Screen screen = new Screen();

		PtyInfo pty = sandbox.createPty(CreatePtyRequest.builder().command("echo ready; exec cat").build(), screen);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(screen.text()).contains("ready"));
		sandbox.sendPtyInput(pty.pid(), "typed ü\n".getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(screen.text()).contains("typed ü\r\ntyped ü"));

		sandbox.killPty(pty.pid());

		assertThat(screen.exit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(137);
		assertThat(sandbox.listProcesses()).noneMatch((process) -> process.pid() == pty.pid());
		assertThatThrownBy(() -> sandbox.sendPtyInput(pty.pid(), new byte[] { 1 })).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.resizePty(pty.pid(), 10, 10)).isInstanceOf(NotFoundException.class);
	}

	@Test
	void aTerminalThatCannotStartIsATypedError() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.createPty(CreatePtyRequest.builder().cwd("/no/such/dir").build(), new Screen()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("/no/such/dir");
	}

	/** Collects what a terminal prints. */
	private static final class Screen implements PtyListener {

		final CompletableFuture<Integer> exit = new CompletableFuture<>();

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		@Override
		public synchronized void onOutput(byte[] data) {
			this.bytes.writeBytes(data);
		}

		@Override
		public void onExit(int exitCode) {
			this.exit.complete(exitCode);
		}

		synchronized String text() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
