package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Ends a short request whose answer does not come within the response timeout. docker-java's transport sets the
 * timeout as the socket's {@code SO_TIMEOUT}, which its Unix socket ignores, so an Engine that takes the request and
 * never answers would hold the calling thread for ever. Here a timer interrupts the thread still waiting at the
 * deadline: the socket is an interruptible channel, so the read ends and the connection is closed (it is of no
 * further use). The interrupt is set only while the request is waited for and is cleared before the call returns;
 * the call fails with a {@link SocketTimeoutException}, which becomes a {@code ProviderTimeoutException}. For short
 * calls only: streams have no response timeout.
 */
final class ResponseDeadline implements DockerHttpClient {

	private final DockerHttpClient delegate;

	private final ScheduledExecutorService timers;

	private final Duration timeout;

	ResponseDeadline(DockerHttpClient delegate, ScheduledExecutorService timers, Duration timeout) {
		this.delegate = delegate;
		this.timers = timers;
		this.timeout = timeout;
	}

	@Override
	public Response execute(Request request) {
		Watch watch = new Watch(Thread.currentThread());
		ScheduledFuture<?> timer = this.timers.schedule(watch::expire, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		try {
			return this.delegate.execute(request);
		}
		catch (RuntimeException ex) {
			if (watch.expired) {
				SocketTimeoutException timedOut = new SocketTimeoutException(
						"no answer to " + request.method() + " within " + this.timeout.toMillis() + " ms");
				timedOut.initCause(ex);
				throw new UncheckedIOException(timedOut);
			}
			throw ex;
		}
		finally {
			timer.cancel(false);
			watch.done();
		}
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

	/** One request's wait; its two sides run under its lock, so an interrupt never outlives the request. */
	private static final class Watch {

		private final Thread caller;

		private boolean done;

		volatile boolean expired;

		Watch(Thread caller) {
			this.caller = caller;
		}

		synchronized void expire() {
			if (!this.done) {
				this.expired = true;
				this.caller.interrupt();
			}
		}

		synchronized void done() {
			this.done = true;
			if (this.expired) {
				Thread.interrupted();
			}
		}

	}

}
