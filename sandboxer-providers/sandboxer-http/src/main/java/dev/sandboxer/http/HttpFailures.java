package dev.sandboxer.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.sandboxer.error.ConnectionPoolExhaustedException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.error.UnauthorizedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;

/**
 * The one mapping from what can go wrong on the wire to the typed errors, shared by every vendor provider:
 * <ul>
 * <li>401 and 403: {@link UnauthorizedException};</li>
 * <li>404: {@link NotFoundException};</li>
 * <li>402, and whatever the vendor marks as a quota ({@link VendorErrors#isQuota}): {@link QuotaExceededException};</li>
 * <li>429: {@link RateLimitException} with the {@code Retry-After} the vendor sent;</li>
 * <li>any other status: {@link ProviderException} with the status, the vendor's code and a short excerpt of its
 * answer (or its message);</li>
 * <li>refused, reset or unresolvable connections: {@link ProviderConnectionException}; a stream cut short:
 * {@link StreamInterruptedException}; no answer in time: {@link ProviderTimeoutException}; no free connection in
 * the pool: {@link ConnectionPoolExhaustedException}.</li>
 * </ul>
 * Every message names the provider and the operation and passes through the {@link Redactor}; a transport
 * exception is attached as the cause only as a redacted copy.
 */
public final class HttpFailures {

	private final String provider;

	private final Redactor redactor;

	private final VendorErrors vendorErrors;

	private final Clock clock;

	/** What the connection pools hold, for the message of an exhausted pool. */
	private final String poolDescription;

	public HttpFailures(String provider, Redactor redactor, VendorErrors vendorErrors) {
		this(provider, redactor, vendorErrors, Clock.systemUTC(), "connections of its pool");
	}

	HttpFailures(String provider, Redactor redactor, VendorErrors vendorErrors, Clock clock) {
		this(provider, redactor, vendorErrors, clock, "connections of its pool");
	}

	HttpFailures(String provider, Redactor redactor, VendorErrors vendorErrors, Clock clock, String poolDescription) {
		this.provider = provider;
		this.redactor = redactor;
		this.vendorErrors = vendorErrors;
		this.clock = clock;
		this.poolDescription = poolDescription;
	}

	/** An answer with a status outside 2xx. */
	public SandboxerException fromResponse(String operation, int status, HttpHeaders headers, byte[] body) {
		ErrorDetails details = readDetails(status, body);
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		String said = (details.message() != null) ? redact(details.message()) : BodyExcerpt.of(body, this.redactor);
		if (status == 402 || this.vendorErrors.isQuota(status, details)) {
			return new QuotaExceededException(this.provider, prefix(operation, status, details.code()) + said);
		}
		return forStatus(operation, status, details.code(), said, retryAfter);
	}

	/**
	 * A failure the Connect protocol reported by code, mapped through the HTTP status the code stands for; a
	 * {@code deadline_exceeded} is a timeout, not a gateway error.
	 */
	public SandboxerException fromConnectError(String operation, ConnectCode code, @Nullable String message) {
		String said = (message != null && !message.isBlank()) ? redact(message) : "(no message)";
		if (code == ConnectCode.DEADLINE_EXCEEDED) {
			return new ProviderTimeoutException(this.provider,
					this.provider + " " + operation + " ran out of time (deadline_exceeded): " + said, null);
		}
		return forStatus(operation, code.httpStatus(), code.wireName(), said, null);
	}

	/**
	 * A failure before or while reading an answer: timeouts, refused and reset connections, unresolvable hosts,
	 * answers too large to hold. A {@link SandboxerException} anywhere in the chain is returned as it is.
	 */
	public SandboxerException fromTransport(String operation, String target, Throwable error) {
		Throwable cause = RedactedCause.of(error, this.redactor);
		for (Throwable link = error; link != null; link = link.getCause()) {
			if (link instanceof SandboxerException typed) {
				return typed;
			}
			if (isPoolExhausted(link)) {
				return new ConnectionPoolExhaustedException(this.provider, this.provider + " " + operation
						+ ": no free connection to " + target + ": all " + this.poolDescription + " are in use and none "
						+ "was freed in time (each running command, terminal and streamed download holds one). "
						+ "Nothing was sent; end or wait for some of them, or try again later", cause);
			}
			if (link instanceof ReadTimeoutException || link instanceof TimeoutException) {
				return new ProviderTimeoutException(this.provider,
						this.provider + " " + operation + ": no answer from " + target + " in time", cause);
			}
			if (link instanceof ConnectTimeoutException) {
				return new ProviderConnectionException(this.provider,
						this.provider + " " + operation + ": could not connect to " + target + " in time", cause);
			}
			if (link instanceof DataBufferLimitException) {
				return new ProviderException(this.provider, this.provider + " " + operation + ": the answer from "
						+ target + " is larger than this client holds in memory", null, null, cause);
			}
			if (link instanceof IOException) {
				return new ProviderConnectionException(this.provider, this.provider + " " + operation
						+ ": connection to " + target + " failed (" + describe(link) + ")", cause);
			}
		}
		return new ProviderException(this.provider,
				this.provider + " " + operation + ": unexpected failure talking to " + target + " (" + describe(error)
						+ ")",
				null, null, cause);
	}

	/**
	 * Reactor Netty's pool gave no connection: it waited past its acquire timeout, or too many callers were
	 * already waiting. Its exceptions live in a shaded, internal package, so they are known by name.
	 */
	private static boolean isPoolExhausted(Throwable error) {
		String name = error.getClass().getSimpleName();
		return name.equals("PoolAcquireTimeoutException") || name.equals("PoolAcquirePendingLimitException");
	}

	/** A 2xx answer whose body could not be read as what the vendor documents. */
	public ProviderException malformedBody(String operation, int status, String problem) {
		return new ProviderException(this.provider, this.provider + " " + operation + ": HTTP " + status
				+ " with a body that does not match the vendor's documented shape: " + redact(problem), status, null,
				null);
	}

	/** A streamed answer that stopped before its end. */
	public StreamInterruptedException streamCut(String operation, String what, @Nullable Throwable cause) {
		return new StreamInterruptedException(this.provider,
				this.provider + " " + operation + ": " + redact(what) + ((cause != null) ? " (" + describe(cause) + ")" : ""),
				RedactedCause.of(cause, this.redactor));
	}

	/** The provider name every message starts with. */
	public String provider() {
		return this.provider;
	}

	private SandboxerException forStatus(String operation, int status, @Nullable String code, String said,
			@Nullable Duration retryAfter) {
		String message = prefix(operation, status, code) + said;
		return switch (status) {
			case 401, 403 -> new UnauthorizedException(this.provider, message);
			case 404 -> new NotFoundException(this.provider, message);
			case 429 -> new RateLimitException(this.provider,
					message + ((retryAfter != null) ? " (retry after " + retryAfter.toSeconds() + " s)" : ""),
					retryAfter);
			default -> new ProviderException(this.provider, message, status, code, retryAfter, null);
		};
	}

	private String prefix(String operation, int status, @Nullable String code) {
		return this.provider + " " + operation + " failed: HTTP " + status
				+ ((code != null) ? " (" + redact(code) + ")" : "") + ": ";
	}

	private ErrorDetails readDetails(int status, byte[] body) {
		try {
			return this.vendorErrors.read(status, body);
		}
		catch (RuntimeException ex) {
			// A vendor reader must not turn one failure into another; what the body says is then unknown.
			return ErrorDetails.NONE;
		}
	}

	private String describe(Throwable error) {
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ((message != null) ? ": " + redact(message) : "");
	}

	private String redact(String text) {
		return String.valueOf(this.redactor.redact(text));
	}

}
