package dev.sandboxer;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Where the futures the client faces return are completed, and so where a user's {@code thenApply} or
 * {@code whenComplete} runs: never on a provider's transport thread (a Netty event loop), which a slow or blocking
 * callback would stall for every sandbox of the provider.
 * <p>
 * One pool for the JVM, of daemon threads named {@code sandboxer-callback-N}. A fork-join pool, because a callback
 * that blocks on another Sandboxer call ({@code future.get()}) is a managed block there: the pool adds a thread
 * (up to its bound) instead of waiting on itself.
 */
final class CallbackThreads {

	private static final int PARALLELISM = Math.max(4, Runtime.getRuntime().availableProcessors());

	/** Threads added for callbacks that block, beyond the parallelism. */
	private static final int MAX_EXTRA_THREADS = 256;

	private static final ForkJoinPool POOL = new ForkJoinPool(PARALLELISM, CallbackThreads::newThread, null, true,
			0, PARALLELISM + MAX_EXTRA_THREADS, 1, null, 60, java.util.concurrent.TimeUnit.SECONDS);

	private CallbackThreads() {
	}

	static Executor executor() {
		return POOL;
	}

	/** Whether the current thread is one of this pool's, where completing directly is fine. */
	static boolean isCurrent() {
		return Thread.currentThread() instanceof ForkJoinWorkerThread worker && worker.getPool() == POOL;
	}

	private static ForkJoinWorkerThread newThread(ForkJoinPool pool) {
		ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
		thread.setName("sandboxer-callback-" + thread.getPoolIndex());
		thread.setDaemon(true);
		return thread;
	}

}
