package dev.sandboxer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.sandboxer.error.SandboxerException;

/** How the blocking face waits for the asynchronous one. */
final class Await {

	private Await() {
	}

	/**
	 * Waits for a result and rethrows its failure as the typed exception it is. An interrupt cancels the call and
	 * keeps the thread's interrupt flag.
	 */
	static <T> T result(CompletableFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new SandboxerException(null, "Interrupted while waiting for the provider", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new SandboxerException(null, String.valueOf(cause), cause);
		}
	}

}
