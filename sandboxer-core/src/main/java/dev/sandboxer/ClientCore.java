package dev.sandboxer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.observation.SandboxerOperation;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the blocking and asynchronous faces of one client share: the provider, the observer and ownership. */
final class ClientCore {

	private static final Logger logger = LoggerFactory.getLogger(Sandboxer.class);

	final String name;

	final SandboxProvider provider;

	final OwnedSandboxes owned = new OwnedSandboxes();

	private final OperationObserver observer;

	private final Duration closeTimeout;

	private final boolean killOwnedOnClose;

	private final AtomicBoolean closed = new AtomicBoolean();

	ClientCore(String name, SandboxProvider provider, OperationObserver observer, Duration closeTimeout,
			boolean killOwnedOnClose) {
		this.name = name;
		this.provider = provider;
		this.observer = observer;
		this.closeTimeout = closeTimeout;
		this.killOwnedOnClose = killOwnedOnClose;
	}

	<T> CompletableFuture<T> observe(SandboxerOperation operation, @Nullable String sandboxId,
			Supplier<CompletableFuture<T>> call) {
		return observe(operation, sandboxId, call, null);
	}

	<T> CompletableFuture<T> observe(SandboxerOperation operation, @Nullable String sandboxId,
			Supplier<CompletableFuture<T>> call, @Nullable Function<T, String> resultId) {
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(
					new SandboxerException(this.provider.name().id(), "Sandboxer '" + this.name + "' is closed", null));
		}
		return this.observer.observe(operation, sandboxId, call, resultId);
	}

	/** For the kills that close itself makes, after the client stopped taking calls. */
	<T> CompletableFuture<T> observeWhileClosing(SandboxerOperation operation, String sandboxId,
			Supplier<CompletableFuture<T>> call) {
		return this.observer.observe(operation, sandboxId, call, null);
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/** Records a sandbox this client created; one that arrives after close is killed at once, so none leaks. */
	void own(DefaultAsyncSandbox sandbox) {
		this.owned.add(sandbox);
		if (this.closed.get()) {
			killOwned(List.of(sandbox));
		}
	}

	void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			killOwned(this.owned.snapshot());
		}
		finally {
			this.provider.close();
		}
	}

	private void killOwned(List<DefaultAsyncSandbox> sandboxes) {
		if (sandboxes.isEmpty()) {
			return;
		}
		if (!this.killOwnedOnClose) {
			// Said out loud: these sandboxes keep running (and costing) after this client is gone.
			logger.info("Sandboxer '{}' is closing and leaves {} sandbox(es) it created running: {}", this.name,
					sandboxes.size(), sandboxes.stream().map(DefaultAsyncSandbox::id).toList());
			return;
		}
		logger.info("Sandboxer '{}' is closing: killing {} sandbox(es) it created", this.name, sandboxes.size());
		CompletableFuture<?>[] kills = sandboxes.stream()
			.map((sandbox) -> sandbox.killForCleanup().whenComplete((ignored, error) -> {
				if (error != null && !(error instanceof NotFoundException)) {
					logger.warn("Could not kill sandbox {} of '{}': {}", sandbox.id(), this.name, error.toString());
				}
			}))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(kills).get(this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Sandboxer '{}' gave up waiting for sandbox kills after {}; still alive: {}", this.name,
					this.closeTimeout, this.owned.ids());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// Each failure was logged above.
		}
	}

}
