package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.UnauthorizedException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what docker-java and the Engine throw into Sandboxer's typed errors, so that no docker-java or transport
 * exception reaches a user. The Engine's own message is kept (it names the container or path, never a secret).
 */
final class EngineErrors {

	static final String PROVIDER = "local";

	private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+: ", Pattern.DOTALL);

	private static final Pattern MESSAGE_FIELD = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final int MAX_MESSAGE = 500;

	private final Supplier<String> dockerHost;

	/** @param dockerHost the Engine's address for messages; asked only when a connection fails */
	EngineErrors(Supplier<String> dockerHost) {
		this.dockerHost = dockerHost;
	}

	/**
	 * The typed error for a failure.
	 * @param subject what the call was about, for the message ({@code "sandbox 3f2a…"}, {@code "image alpine"})
	 */
	SandboxerException map(Throwable failure, String subject) {
		Throwable error = unwrap(failure);
		if (error instanceof SandboxerException typed) {
			return typed;
		}
		if (error instanceof DockerException docker) {
			return fromStatus(docker.getHttpStatus(), engineMessage(docker.getMessage()), subject, docker);
		}
		SocketTimeoutException silent = causeOf(error, SocketTimeoutException.class);
		if (silent != null) {
			// A SocketTimeoutException is an InterruptedIOException too, but nobody interrupted anything.
			return new ProviderTimeoutException(PROVIDER, "The Docker Engine at " + this.dockerHost.get()
					+ " did not answer in time about " + subject + " (" + silent.getMessage() + ")", error);
		}
		if (error instanceof InterruptedException || error instanceof InterruptedIOException) {
			Thread.currentThread().interrupt();
			return new SandboxerException(PROVIDER, "Interrupted while talking to the Docker Engine about " + subject,
					error);
		}
		IOException io = ioCause(error);
		if (io != null) {
			return new ProviderConnectionException(PROVIDER, "Cannot reach the Docker Engine at " + this.dockerHost.get()
					+ " (" + io + "). Is it running? Set 'docker-host' or DOCKER_HOST to its address.", error);
		}
		if (error instanceof DockerClientException) {
			return new ProviderException(PROVIDER, "docker-java failed for " + subject + ": " + error.getMessage(), null,
					null, error);
		}
		return new ProviderException(PROVIDER, "Unexpected failure for " + subject + ": " + error, null, null, error);
	}

	/** The typed error for an Engine answer with a failing HTTP status. */
	SandboxerException fromStatus(int status, String engineMessage, String subject, @Nullable Throwable cause) {
		String message = shorten(engineMessage);
		return switch (status) {
			case 404 -> new NotFoundException(PROVIDER, capitalize(subject) + " was not found: " + message, cause);
			case 401, 403 -> new UnauthorizedException(PROVIDER, "The Docker Engine refused access to " + subject
					+ ": " + message);
			case 408, 504 -> new ProviderTimeoutException(PROVIDER, "The Docker Engine timed out on " + subject + ": "
					+ message, cause);
			case 409 -> conflict(message, subject, cause);
			case 500 -> (isGone(message)) ? conflict(message, subject, cause) : new ProviderException(PROVIDER,
					"The Docker Engine failed on " + subject + " (HTTP 500): " + message, status, null, cause);
			default -> new ProviderException(PROVIDER, "The Docker Engine failed on " + subject + " (HTTP " + status
					+ "): " + message, status, null, cause);
		};
	}

	/**
	 * A 409 says the container is in the wrong state. One that stopped is as good as gone (sandboxes are removed
	 * when they stop), so that is a {@link NotFoundException}; a paused one only needs a resume.
	 */
	private static SandboxerException conflict(String message, String subject, @Nullable Throwable cause) {
		if (message.contains("is not running") || message.contains("is restarting")
				|| message.contains("removal of container") || message.contains("is dead")) {
			return new NotFoundException(PROVIDER,
					capitalize(subject) + " is not running any more (it was killed or reached its timeout): " + message,
					cause);
		}
		if (message.contains("is paused")) {
			return new ProviderException(PROVIDER, capitalize(subject)
					+ " is paused: resume it before running processes in it (" + message + ")", 409, "paused", cause);
		}
		return new ProviderException(PROVIDER, "The Docker Engine refused the call on " + subject + " (HTTP 409): "
				+ message, 409, null, cause);
	}

	/** A container being removed answers exec calls with 500 and these words (Engine 20.10), not with 409. */
	private static boolean isGone(String message) {
		return message.contains("is not running") || message.contains("Removal In Progress");
	}

	/** The {@code message} field of an Engine error body, or the body itself when it has none. */
	static String engineMessage(String body) {
		String text = STATUS_PREFIX.matcher(body).replaceFirst("").strip();
		Matcher matcher = MESSAGE_FIELD.matcher(text);
		if (matcher.find()) {
			return matcher.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\");
		}
		return text;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable error = failure;
		while ((error instanceof CompletionException || error instanceof ExecutionException)
				&& error.getCause() != null) {
			error = error.getCause();
		}
		return error;
	}

	private static <E extends Throwable> @Nullable E causeOf(Throwable error, Class<E> type) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	private static @Nullable IOException ioCause(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException io) {
				return io;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static String shorten(String message) {
		return (message.length() <= MAX_MESSAGE) ? message : message.substring(0, MAX_MESSAGE) + "…";
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
