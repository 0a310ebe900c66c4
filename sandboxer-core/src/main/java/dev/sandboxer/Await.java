package dev.sandboxer;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.sandboxer.error.CancelledException;
import dev.sandboxer.error.SandboxerException;

/** How the blocking face waits for the asynchronous one. */
final class Await {

	private Await() {
	}

	/**
	 * Waits for a result and rethrows its failure as the typed exception it is. An interrupt cancels the call and
	 * keeps the thread's interrupt flag; a cancelled call is a {@link CancelledException}, never a bare
	 * {@link CancellationException}.
	 * @throws IllegalStateException on one of the provider's event-loop threads, where waiting would stop the very
	 * thread the answer must arrive on
	 */
	static <T> T result(ClientCore core, CompletableFuture<T> future) {
		Thread current = Thread.currentThread();
		if (core.provider.isEventLoopThread(current)) {
			throw new IllegalStateException("A blocking Sandboxer call was made on " + current.getName()
					+ ", an event-loop thread of provider '" + core.name + "', where it would wait forever for an "
					+ "answer that thread must deliver: use the AsyncSandboxer face, or move the call to another "
					+ "thread");
		}
		String provider = core.provider.name().id();
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw (SandboxerException) new CancelledException(provider, "Interrupted while waiting for the provider",
					ex).reportedBy(core.name);
		}
		catch (CancellationException ex) {
			throw (SandboxerException) new CancelledException(provider, "The call was cancelled", ex)
				.reportedBy(core.name);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof CancellationException cancelled) {
				throw (SandboxerException) new CancelledException(provider, "The call was cancelled", cancelled)
					.reportedBy(core.name);
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new SandboxerException(provider, String.valueOf(cause), cause).reportedBy(core.name);
		}
	}

}
