package dev.sandboxer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.CancelledException;
import dev.sandboxer.error.FileTooLargeException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.testing.InMemoryProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Never lose a sandbox, never hang, never grow without bound: what the client faces promise on top of any provider.
 * Creates are held open by the provider below, so that a test can cancel, interrupt or close while one is under way.
 */
class SandboxerReliabilityTests {

	private final HeldProvider provider = new HeldProvider();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.provider.releaseAll();
		this.threads.shutdownNow();
	}

	@Test
	void aCreateWhoseFutureIsCancelledKillsTheSandboxOnceItExists() {
		AsyncSandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).buildAsync();
		CompletableFuture<AsyncSandbox> creating = sandboxer.createSandbox();
		creating.cancel(true);
		this.provider.releaseAll();
		awaitKills(1);
		assertThat(this.provider.sandboxes).isEmpty();
		assertThat(sandboxer.ownedSandboxIds()).isEmpty();
	}

	@Test
	void anInterruptedBlockingCreateThrowsCancelledAndTheSandboxIsKilled() throws Exception {
		Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).build();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Future<?> caller = this.threads.submit(() -> {
			try {
				sandboxer.createSandbox();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		});
		this.provider.awaitHeld(1);
		caller.cancel(true);
		awaitDone(caller);
		assertThat(thrown.get()).isInstanceOf(CancelledException.class);
		this.provider.releaseAll();
		awaitKills(1);
		assertThat(this.provider.sandboxes).isEmpty();
	}

	@Test
	void closeWaitsForACreateUnderWayAndKillsItBeforeClosingTheProvider() throws Exception {
		Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).build();
		CompletableFuture<AsyncSandbox> creating = sandboxer.async().createSandbox();
		this.provider.awaitHeld(1);
		Future<?> closing = this.threads.submit(sandboxer::close);
		while (!sandboxer.async().ownedSandboxIds().isEmpty() || !isClosing(sandboxer)) {
			Thread.onSpinWait();
		}
		this.provider.releaseAll();
		closing.get(30, TimeUnit.SECONDS);
		assertThat(this.provider.sandboxes).isEmpty();
		assertThat(this.provider.killsAfterClose.get()).isZero();
		assertThat(this.provider.closed).isTrue();
		assertThat(creating).succeedsWithin(Duration.ofSeconds(10));
	}

	@Test
	void aCreateThatEndsAfterTheProviderClosedIsNotKilledThroughTheClosedProvider() throws Exception {
		Sandboxer sandboxer = Sandboxer.builder("in-memory")
			.provider(this.provider)
			.closeTimeout(Duration.ofMillis(50))
			.build();
		CompletableFuture<AsyncSandbox> creating = sandboxer.async().createSandbox();
		this.provider.awaitHeld(1);
		sandboxer.close();
		assertThat(this.provider.closed).isTrue();
		this.provider.releaseAll();
		assertThatThrownBy(() -> creating.get(10, TimeUnit.SECONDS)).cause()
			.isInstanceOf(SandboxerException.class)
			.hasMessageContaining("in-memory-1")
			.hasMessageContaining("could not be killed");
		assertThat(this.provider.killsAfterClose.get()).isZero();
	}

	@Test
	void aCancelledCallIsATypedErrorOnTheBlockingFace() {
		Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).build();
		this.provider.releaseEachCreate = true;
		Sandbox sandbox = sandboxer.createSandbox();
		this.provider.failure = CancellationException::new;
		assertThatExceptionOfType(CancelledException.class).isThrownBy(() -> sandbox.runCommand("true"));
	}

	@Test
	void futuresCompleteOffTheProvidersThreadsAndABlockingCallThereFailsFast() throws Exception {
		Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).build();
		CompletableFuture<String> callbackThread = sandboxer.async()
			.ping()
			.thenApply((answer) -> Thread.currentThread().getName());
		this.provider.answerPings();
		assertThat(callbackThread.get(10, TimeUnit.SECONDS)).startsWith("sandboxer-callback-")
			.isNotEqualTo(HeldProvider.EVENT_LOOP);
		Future<Throwable> onLoop = this.provider.eventLoop.submit(() -> {
			try {
				sandboxer.listSandboxes();
				return null;
			}
			catch (Throwable ex) {
				return ex;
			}
		});
		assertThat(onLoop.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("event-loop thread of provider 'in-memory'");
	}

	@Test
	void aCommandWithoutTimeoutGetsTheClientsDefaultAndItIsConfigurable() {
		this.provider.releaseEachCreate = true;
		Sandbox sandbox = Sandboxer.builder("in-memory").provider(this.provider).build().createSandbox();
		sandbox.runCommand("true");
		assertThat(this.provider.runRequests.get(0).timeout()).isEqualTo(Duration.ofSeconds(60));
		Sandbox configured = Sandboxer.builder("in-memory")
			.provider(this.provider)
			.config(ProviderConfig.builder().extra("command-timeout", "5s").build())
			.build()
			.createSandbox();
		configured.runCommand("true");
		configured.runCommand(RunCommandRequest.builder("true").timeout(Duration.ofMinutes(9)).build());
		assertThat(this.provider.runRequests.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.provider.runRequests.get(2).timeout()).isEqualTo(Duration.ofMinutes(9));
	}

	@Test
	void outputBeyondTheCapIsCutAndSaysSo() {
		this.provider.releaseEachCreate = true;
		Sandbox sandbox = Sandboxer.builder("in-memory").provider(this.provider).maxOutputChars(4).build()
			.createSandbox();
		CommandResult result = sandbox.runCommand("echo 123456789");
		assertThat(result.stdout()).isEqualTo("echo");
		assertThat(result.truncated()).isTrue();
		assertThat(sandbox.runCommand("ls").truncated()).isFalse();
	}

	@Test
	void readFileRefusesAFileOverTheLimitAndPointsToTheStream() {
		this.provider.releaseEachCreate = true;
		Sandbox sandbox = Sandboxer.builder("in-memory").provider(this.provider).maxReadFileBytes(4).build()
			.createSandbox();
		sandbox.writeFile("/big", new byte[10]);
		assertThatExceptionOfType(FileTooLargeException.class).isThrownBy(() -> sandbox.readFile("/big"))
			.withMessageContaining("readFileStream")
			.satisfies((ex) -> assertThat(ex.limitBytes()).isEqualTo(4));
	}

	@Test
	void waitForHandleWithATimeoutEndsAndStopsTheProvidersWait() {
		this.provider.releaseEachCreate = true;
		Sandbox sandbox = Sandboxer.builder("in-memory").provider(this.provider).build().createSandbox();
		assertThatExceptionOfType(ProviderTimeoutException.class)
			.isThrownBy(() -> sandbox.waitForHandle("h-1", Duration.ofMillis(100)))
			.withMessageContaining("keeps running");
		assertThat(this.provider.waits).singleElement().satisfies((wait) -> assertThat(wait).isCancelled());
	}

	@Test
	void errorsNameTheConfiguredEntry() {
		this.provider.releaseEachCreate = true;
		Sandboxer sandboxer = Sandboxer.builder("in-memory").name("memory-eu").provider(this.provider).build();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandboxer.killSandbox("nope"))
			.satisfies((ex) -> assertThat(ex.entry()).isEqualTo("memory-eu"))
			.withMessageContaining("'memory-eu'");
	}

	@Test
	void retrySettingsOutOfRangeAreBadConfig() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new RetrySettings(0, Duration.ZERO, Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.property()).hasValue("retry.max-attempts"));
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> new RetrySettings(2, Duration.ofSeconds(-1), Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.property()).hasValue("retry.initial-backoff"));
	}

	@Test
	void aBadUrlIsEchoedWithoutItsQuery() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ProviderConfig.builder().baseUrl("ftp://host/x?token=s3cr3t-value").build())
			.withMessageNotContaining("s3cr3t-value")
			.withMessageContaining("ftp://host/x");
	}

	private static boolean isClosing(Sandboxer sandboxer) {
		try {
			sandboxer.async().listSandboxes().join();
			return false;
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	private void awaitKills(int kills) {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.provider.kills.get() < kills && System.nanoTime() < until) {
			Thread.onSpinWait();
		}
		assertThat(this.provider.kills.get()).isEqualTo(kills);
	}

	private static void awaitDone(Future<?> future) throws InterruptedException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!future.isDone() && System.nanoTime() < until) {
			Thread.sleep(5);
		}
		Thread.sleep(50);
	}

	/**
	 * Holds every create until released, answers pings from a thread it calls its event loop, and counts kills
	 * that reach it after it was closed.
	 */
	static final class HeldProvider extends InMemoryProvider {

		static final String EVENT_LOOP = "fake-event-loop";

		final ExecutorService eventLoop = Executors.newSingleThreadExecutor((task) -> new Thread(task, EVENT_LOOP));

		final AtomicInteger killsAfterClose = new AtomicInteger();

		volatile boolean releaseEachCreate;

		private final List<Runnable> held = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Void> pingGate = new CompletableFuture<>();

		@Override
		public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
			if (this.releaseEachCreate) {
				return super.createSandbox(request);
			}
			CompletableFuture<ProviderSandbox> later = new CompletableFuture<>();
			this.held.add(() -> later.complete(super.createSandbox(request).join()));
			return later;
		}

		@Override
		public CompletableFuture<Void> killSandbox(String sandboxId) {
			if (this.closed.get()) {
				this.killsAfterClose.incrementAndGet();
			}
			return super.killSandbox(sandboxId);
		}

		@Override
		public CompletableFuture<Map<String, String>> ping() {
			return this.pingGate.thenApplyAsync((ignored) -> Map.of("ok", "true"), this.eventLoop);
		}

		@Override
		public boolean isEventLoopThread(Thread thread) {
			return thread.getName().equals(EVENT_LOOP);
		}

		@Override
		public void close() {
			super.close();
			this.eventLoop.shutdown();
		}

		void answerPings() {
			this.pingGate.complete(null);
		}

		void awaitHeld(int count) throws InterruptedException {
			long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.held.size() < count && System.nanoTime() < until) {
				Thread.sleep(5);
			}
			assertThat(this.held).hasSize(count);
		}

		void releaseAll() {
			List<Runnable> now = List.copyOf(this.held);
			this.held.clear();
			now.forEach(Runnable::run);
		}

	}

}
