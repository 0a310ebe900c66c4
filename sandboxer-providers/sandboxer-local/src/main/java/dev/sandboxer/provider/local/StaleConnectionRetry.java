package dev.sandboxer.provider.local;

import java.io.IOException;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Sends a request again when the pooled connection it went out on was already dead. docker-java's transport never
 * checks a pooled connection before it reuses it, so after the Engine restarted every idle connection in the pool
 * fails its next request. On a Unix socket that failure is a broken pipe while the request is written: the peer
 * closed the connection before, so the Engine never read the request, and sending it again on another connection
 * cannot do it twice. Only requests whose body can be sent again (none, or bytes) are repeated, at most once per
 * connection the pool can hold; the dead connection is discarded by the pool each time. Anything else fails as it
 * did.
 */
final class StaleConnectionRetry implements DockerHttpClient {

	private final DockerHttpClient delegate;

	private final int maxAttempts;

	StaleConnectionRetry(DockerHttpClient delegate, int poolSize) {
		this.delegate = delegate;
		this.maxAttempts = poolSize + 1;
	}

	@Override
	public Response execute(Request request) {
		// body() is made anew from bodyBytes() when the body is bytes; a streamed body can be read once only.
		boolean repeatable = request.hijackedInput() == null && (request.bodyBytes() != null || request.body() == null);
		for (int attempt = 1;; attempt++) {
			try {
				return this.delegate.execute(request);
			}
			catch (RuntimeException ex) {
				if (!repeatable || attempt >= this.maxAttempts || !isBrokenPipe(ex)) {
					throw ex;
				}
			}
		}
	}

	static boolean isBrokenPipe(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof IOException && cause.getMessage() != null
					&& cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("broken pipe")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

}
