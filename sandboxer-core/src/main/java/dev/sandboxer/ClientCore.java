package dev.sandboxer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.observation.SandboxerOperation;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the blocking and asynchronous faces of one client share: the provider, the observer, ownership and the
 * limits every provider gets (default command timeout, output cap, whole-file read limit).
 * <p>
 * Close runs in steps so that a sandbox created while it runs is never lost: it stops taking calls, waits for the
 * creates already under way (they end as owned sandboxes), kills what is owned, and only then closes the provider.
 * A create that ends after that is logged with its id: the provider can no longer kill it.
 */
final class ClientCore {

	private static final Logger logger = LoggerFactory.getLogger(Sandboxer.class);

	private enum State {

		/** Taking calls. */
		OPEN,
		/** No new calls; creates under way may still end and are owned. */
		CLOSING,
		/** The owned sandboxes are being killed; one that arrives now is killed on its own. */
		KILLING,
		/** The provider is closed: nothing can be killed through it any more. */
		CLOSED

	}

	final String name;

	final SandboxProvider provider;

	final OwnedSandboxes owned = new OwnedSandboxes();

	final ClientLimits limits;

	private final OperationObserver observer;

	private final Duration closeTimeout;

	private final boolean killOwnedOnClose;

	private final Object lock = new Object();

	private State state = State.OPEN;

	/** Creates that were sent and have not ended: close waits for them. */
	private final Set<CompletableFuture<?>> pendingCreates = ConcurrentHashMap.newKeySet();

	/** Kills of sandboxes that arrived while close was killing, which close waits for too. */
	private final List<CompletableFuture<?>> lateKills = new ArrayList<>();

	ClientCore(String name, SandboxProvider provider, OperationObserver observer, Duration closeTimeout,
			boolean killOwnedOnClose, ClientLimits limits) {
		this.name = name;
		this.provider = provider;
		this.observer = observer;
		this.closeTimeout = closeTimeout;
		this.killOwnedOnClose = killOwnedOnClose;
		this.limits = limits;
	}

	<T> CompletableFuture<T> observe(SandboxerOperation operation, @Nullable String sandboxId,
			Supplier<CompletableFuture<T>> call) {
		return observe(operation, sandboxId, call, null);
	}

	<T> CompletableFuture<T> observe(SandboxerOperation operation, @Nullable String sandboxId,
			Supplier<CompletableFuture<T>> call, @Nullable Function<T, String> resultId) {
		if (isClosed()) {
			return CompletableFuture.failedFuture(closedError());
		}
		return this.observer.observe(operation, sandboxId, call, resultId);
	}

	/**
	 * Creates a sandbox that is owned from the moment the provider reports it. The caller's future is separate from
	 * the provider's: cancelling it (or an interrupt of the blocking face, which cancels it) does not abandon the
	 * remote create, whose sandbox would then exist with nobody to kill it. When the create ends and nobody is left
	 * to receive the sandbox (the future was cancelled or completed otherwise), it is killed at once.
	 */
	CompletableFuture<AsyncSandbox> create(Supplier<CompletableFuture<ProviderSandbox>> call) {
		CompletableFuture<Void> tracker = new CompletableFuture<>();
		synchronized (this.lock) {
			if (this.state != State.OPEN) {
				return CompletableFuture.failedFuture(closedError());
			}
			this.pendingCreates.add(tracker);
		}
		CompletableFuture<AsyncSandbox> result = new CompletableFuture<>();
		this.observer.observe(SandboxerOperation.CREATE_SANDBOX, null, call, ProviderSandbox::id)
			.whenComplete((created, error) -> {
				try {
					if (error != null) {
						result.completeExceptionally(error);
						return;
					}
					DefaultAsyncSandbox sandbox = new DefaultAsyncSandbox(this, created, true);
					if (!own(sandbox)) {
						result.completeExceptionally(new SandboxerException(this.provider.name().id(), "Sandboxer '"
								+ this.name + "' was closed while sandbox " + sandbox.id() + " was being created; "
								+ "it could not be killed and runs until its own timeout", null));
						return;
					}
					if (!result.complete(sandbox)) {
						logger.info("Nobody is left to receive sandbox {} of '{}' (the create was cancelled or timed "
								+ "out): killing it", sandbox.id(), this.name);
						killLogged(sandbox);
					}
				}
				finally {
					this.pendingCreates.remove(tracker);
					tracker.complete(null);
				}
			});
		return result;
	}

	/** For the kills that close itself makes, after the client stopped taking calls. */
	<T> CompletableFuture<T> observeWhileClosing(SandboxerOperation operation, String sandboxId,
			Supplier<CompletableFuture<T>> call) {
		return this.observer.observe(operation, sandboxId, call, null);
	}

	boolean isClosed() {
		synchronized (this.lock) {
			return this.state != State.OPEN;
		}
	}

	/**
	 * Records a sandbox this client created, the moment the provider reports it. Never blocks (it may run on a
	 * transport thread). Returns false when the provider is already closed and the sandbox could not be owned.
	 */
	boolean own(DefaultAsyncSandbox sandbox) {
		synchronized (this.lock) {
			switch (this.state) {
				case OPEN, CLOSING -> {
					this.owned.add(sandbox);
					return true;
				}
				case KILLING -> {
					this.owned.add(sandbox);
					if (this.killOwnedOnClose) {
						this.lateKills.add(killLogged(sandbox));
					}
					return true;
				}
				default -> {
					logger.warn("Sandboxer '{}' was closed before the provider finished creating sandbox {}; it could "
							+ "not be killed and runs until its own timeout (or killSandbox(\"{}\") from another client)",
							this.name, sandbox.id(), sandbox.id());
					return false;
				}
			}
		}
	}

	void close() {
		synchronized (this.lock) {
			if (this.state != State.OPEN) {
				return;
			}
			this.state = State.CLOSING;
		}
		long deadline = System.nanoTime() + this.closeTimeout.toNanos();
		try {
			// Creates under way end as owned sandboxes: wait for them so that the kills below include them.
			if (!awaitAll(List.copyOf(this.pendingCreates), deadline)) {
				logger.warn("Sandboxer '{}' gave up waiting for {} create(s) under way after {}", this.name,
						this.pendingCreates.size(), this.closeTimeout);
			}
			List<DefaultAsyncSandbox> sandboxes;
			synchronized (this.lock) {
				this.state = State.KILLING;
				sandboxes = this.owned.snapshot();
			}
			killOwned(sandboxes, deadline);
		}
		finally {
			List<CompletableFuture<?>> late;
			synchronized (this.lock) {
				this.state = State.CLOSED;
				late = List.copyOf(this.lateKills);
			}
			awaitAll(late, deadline);
			this.provider.close();
		}
	}

	private SandboxerException closedError() {
		return new SandboxerException(this.provider.name().id(), "Sandboxer '" + this.name + "' is closed", null);
	}

	private void killOwned(List<DefaultAsyncSandbox> sandboxes, long deadline) {
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
		List<CompletableFuture<?>> kills = sandboxes.stream().<CompletableFuture<?>>map(this::killLogged).toList();
		if (!awaitAll(kills, deadline)) {
			logger.warn("Sandboxer '{}' gave up waiting for sandbox kills after {}; still alive: {}", this.name,
					this.closeTimeout, this.owned.ids());
		}
	}

	/** Starts a cleanup kill without waiting for it; a failure is logged. */
	CompletableFuture<Void> killLogged(DefaultAsyncSandbox sandbox) {
		return sandbox.killForCleanup().whenComplete((ignored, error) -> {
			if (error != null && !(error instanceof NotFoundException)) {
				logger.warn("Could not kill sandbox {} of '{}': {}", sandbox.id(), this.name, error.toString());
			}
		});
	}

	/** Waits for all of them until the deadline; false when time ran out. */
	private static boolean awaitAll(List<CompletableFuture<?>> futures, long deadline) {
		if (futures.isEmpty()) {
			return true;
		}
		try {
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			// Each failure was logged where it happened.
			return true;
		}
	}

}
