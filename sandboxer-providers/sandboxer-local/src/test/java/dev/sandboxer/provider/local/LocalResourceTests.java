package dev.sandboxer.provider.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.spi.ProviderSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bounds and clean-up of the {@code local} provider: its executor, and containers nobody will receive. (A container
 * that fails to start: {@link LocalFailedStartTests}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalResourceTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@Test
	void callsBeyondTheExecutorsBoundsFailAtOnceInsteadOfQueueingForever() throws Exception {
		try (DockerEngine engine = new DockerEngine(LocalSettings.from(ProviderConfig.builder().build()))) {
			CountDownLatch release = new CountDownLatch(1);
			List<CompletableFuture<Object>> accepted = new ArrayList<>();
			for (int i = 0; i < DockerEngine.MAX_THREADS + DockerEngine.MAX_QUEUED; i++) {
				accepted.add(engine.call("a blocked call", (client) -> {
					release.await(60, TimeUnit.SECONDS);
					return null;
				}));
			}

			CompletableFuture<Object> refused = engine.call("one call too many", (client) -> null);

			assertThat(refused).isCompletedExceptionally();
			assertThatThrownBy(refused::get).cause()
				.isInstanceOfSatisfying(ProviderException.class,
						(error) -> assertThat(error.code()).contains("engine-busy"))
				.hasMessageContaining("one call too many");
			release.countDown();
			CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
	}

	@Test
	void anEngineThatStopsAnsweringFailsTheCallAtTheDefaultTimeout() throws Exception {
		// A socket where an Engine would be, that takes connections and never answers.
		Path socket = Files.createTempDirectory("sbx-silent").resolve("docker.sock");
		List<SocketChannel> held = new CopyOnWriteArrayList<>();
		try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			silent.bind(UnixDomainSocketAddress.of(socket));
			Thread acceptor = new Thread(() -> {
				while (silent.isOpen()) {
					try {
						held.add(silent.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			try (Sandboxer sandboxer = Sandboxer.builder("local")
				.config(ProviderConfig.builder()
					.defaultTimeout(Duration.ofSeconds(2))
					.extra("docker-host", "unix://" + socket)
					.extra("api-version", "1.41")
					.build())
				.build()) {

				assertThat(sandboxer.async().ping()).failsWithin(Duration.ofSeconds(60))
					.withThrowableOfType(java.util.concurrent.ExecutionException.class)
					.withCauseInstanceOf(ProviderTimeoutException.class)
					.withMessageContaining("did not answer in time");
			}
		}
		finally {
			for (SocketChannel channel : held) {
				channel.close();
			}
			Files.deleteIfExists(socket);
			Files.deleteIfExists(socket.getParent());
		}
	}

	@Test
	void aPullThatHangsEndsAtThePullTimeout() throws Exception {
		// A registry on loopback (which the Engine reaches without TLS) that accepts connections and never answers.
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				while (!silent.isClosed()) {
					try {
						held.add(silent.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			String image = "127.0.0.1:" + silent.getLocalPort() + "/sandboxer/never-answers:latest";
			try (Sandboxer sandboxer = Sandboxer.builder("local")
				.config(ProviderConfig.builder().extra("pull-timeout", "2s").build())
				.build()) {

				assertThatThrownBy(() -> sandboxer.createSandbox(this.sandboxes.request(image).build()))
					.isInstanceOf(ProviderTimeoutException.class)
					.hasMessageContaining("pull-timeout");
			}
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void aCreateCancelledAfterItsContainerExistedRemovesTheContainer() throws Exception {
		DockerClient docker = this.sandboxes.docker();
		try (LocalProvider provider = new LocalProvider(LocalSettings.from(ProviderConfig.builder().build()))) {
			boolean caughtInTheWindow = false;
			for (int attempt = 0; attempt < 20 && !caughtInTheWindow; attempt++) {
				String run = UUID.randomUUID().toString();
				CompletableFuture<ProviderSandbox> creating = provider.createSandbox(this.sandboxes
					.request(LocalTestSandboxes.BUSYBOX)
					.metadata("cancel-test", run)
					.build());
				Map<String, String> label = Map.of(SandboxLabels.META_PREFIX + SandboxLabels.encodeKey("cancel-test"), run);
				while (!creating.isDone()
						&& docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec().isEmpty()) {
					Thread.onSpinWait();
				}
				caughtInTheWindow = creating.cancel(true);
				if (caughtInTheWindow) {
					await().atMost(Duration.ofSeconds(30))
						.until(() -> docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec().isEmpty());
				}
				else {
					creating.get().kill().get(30, TimeUnit.SECONDS);
				}
			}
			assertThat(caughtInTheWindow).as("a cancel came while the container existed and the create ran").isTrue();
		}
	}

}
