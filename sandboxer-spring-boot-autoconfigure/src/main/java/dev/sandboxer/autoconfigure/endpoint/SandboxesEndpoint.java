package dev.sandboxer.autoconfigure.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.SandboxInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/sandboxes}: the sandboxes this application created, per configured provider; the details of one
 * ({@code /actuator/sandboxes/{provider}/{id}}); and, with an HTTP {@code DELETE} on that path, a way to kill one.
 * <p>
 * Several applications may share one Docker Engine or vendor account, so by default the endpoint shows and kills only
 * what this application created (and has not detached or killed): {@code ?all=true} lists every sandbox the provider
 * holds, and killing a sandbox this application did not create needs {@code ?force=true}. Every call to a provider
 * waits at most the endpoint's timeout. Each answer says its {@code result}; over HTTP it is also the status (see
 * {@link SandboxesEndpointWebExtension}). Like every endpoint, it is reachable over HTTP only when the application
 * exposes it.
 */
@Endpoint(id = "sandboxes")
public class SandboxesEndpoint {

	/** Every timestamp the endpoint writes: UTC, milliseconds, always the same shape. */
	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Sandboxers sandboxers;

	private final Duration timeout;

	public SandboxesEndpoint(Sandboxers sandboxers, Duration timeout) {
		this.sandboxers = sandboxers;
		this.timeout = timeout;
	}

	/**
	 * The sandboxes of every provider, asked of all providers at once. A provider that cannot answer in time shows its
	 * error instead of failing the whole list.
	 * @param all {@code true} to list every sandbox the provider holds, not only those this application created
	 */
	@ReadOperation
	public SandboxesDescriptor sandboxes(@Nullable Boolean all) {
		boolean everything = Boolean.TRUE.equals(all);
		Map<String, CompletableFuture<List<SandboxInfo>>> pending = new LinkedHashMap<>();
		this.sandboxers.all().forEach((name, sandboxer) -> pending.put(name, start(() -> sandboxer.async().listSandboxes())));
		Map<String, ProviderSandboxesDescriptor> providers = new LinkedHashMap<>();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		pending.forEach((name, listing) -> providers.put(name,
				describe(this.sandboxers.get(name), listing, everything, deadline)));
		return new SandboxesDescriptor(everything ? "all" : "created-here", providers);
	}

	/** One sandbox, whoever created it. */
	@ReadOperation
	public SandboxLookup sandbox(@Selector String provider, @Selector String id) {
		Sandboxer sandboxer = this.sandboxers.all().get(provider);
		if (sandboxer == null) {
			return SandboxLookup.failed(Result.UNKNOWN_PROVIDER, unknownProvider(provider));
		}
		try {
			// Attaching asks for the sandbox's details and owns nothing, so nothing needs releasing afterwards.
			SandboxInfo info = await(start(() -> sandboxer.async().attachSandbox(id)), deadline()).initialInfo();
			return new SandboxLookup(Result.FOUND, SandboxDescriptor.of(info, Set.copyOf(sandboxer.ownedSandboxIds())),
					null);
		}
		catch (NotFoundException ex) {
			return SandboxLookup.failed(Result.NOT_FOUND, "Provider '" + provider + "' has no sandbox '" + id + "'");
		}
		catch (TimeoutException ex) {
			return SandboxLookup.failed(Result.TIMEOUT, noAnswer(provider));
		}
		catch (RuntimeException ex) {
			return SandboxLookup.failed(Result.FAILED, message(ex));
		}
	}

	/**
	 * Kills one sandbox.
	 * @param force {@code true} to kill a sandbox this application did not create
	 */
	@DeleteOperation
	public KilledSandboxDescriptor kill(@Selector String provider, @Selector String id, @Nullable Boolean force) {
		Sandboxer sandboxer = this.sandboxers.all().get(provider);
		if (sandboxer == null) {
			return KilledSandboxDescriptor.of(provider, id, Result.UNKNOWN_PROVIDER, unknownProvider(provider));
		}
		long deadline = deadline();
		try {
			if (!Boolean.TRUE.equals(force) && !sandboxer.ownedSandboxIds().contains(id)) {
				// Say 404 for an id that names nothing, as GET does, before refusing one that exists.
				await(start(() -> sandboxer.async().attachSandbox(id)), deadline);
				return KilledSandboxDescriptor.of(provider, id, Result.NOT_CREATED_HERE, "Sandbox '" + id
						+ "' was not created by this application; add ?force=true to kill it anyway");
			}
			await(start(() -> sandboxer.async().killSandbox(id)), deadline);
			return KilledSandboxDescriptor.of(provider, id, Result.KILLED, null);
		}
		catch (NotFoundException ex) {
			return KilledSandboxDescriptor.of(provider, id, Result.NOT_FOUND,
					"Provider '" + provider + "' has no sandbox '" + id + "'");
		}
		catch (TimeoutException ex) {
			return KilledSandboxDescriptor.of(provider, id, Result.TIMEOUT, noAnswer(provider));
		}
		catch (RuntimeException ex) {
			return KilledSandboxDescriptor.of(provider, id, Result.FAILED, message(ex));
		}
	}

	private String unknownProvider(String provider) {
		return "No provider named '" + provider + "'; configured: " + this.sandboxers.names();
	}

	private String noAnswer(String provider) {
		return "Provider '" + provider + "' did not answer within " + this.timeout.toMillis() + " ms";
	}

	private long deadline() {
		return System.nanoTime() + this.timeout.toNanos();
	}

	private ProviderSandboxesDescriptor describe(Sandboxer sandboxer, CompletableFuture<List<SandboxInfo>> listing,
			boolean everything, long deadline) {
		Set<String> owned = Set.copyOf(sandboxer.ownedSandboxIds());
		try {
			List<SandboxDescriptor> sandboxes = await(listing, deadline).stream()
				.filter((info) -> everything || owned.contains(info.id()))
				.map((info) -> SandboxDescriptor.of(info, owned))
				.toList();
			return new ProviderSandboxesDescriptor(sandboxer.type().id(), sandboxes, null);
		}
		catch (TimeoutException ex) {
			return new ProviderSandboxesDescriptor(sandboxer.type().id(), List.of(), noAnswer(sandboxer.name()));
		}
		catch (RuntimeException ex) {
			return new ProviderSandboxesDescriptor(sandboxer.type().id(), List.of(), message(ex));
		}
	}

	/** A call that throws before it returns a future is a failed call, not a failed endpoint. */
	private static <T> CompletableFuture<T> start(java.util.function.Supplier<CompletableFuture<T>> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** Waits until the deadline; a call still running then is cancelled, which stops it where the provider can. */
	private static <T> T await(CompletableFuture<T> future, long deadline) throws TimeoutException {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw ex;
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new TimeoutException("interrupted");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new CompletionException(cause);
		}
	}

	private static String message(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return Objects.toString(cause.getMessage(), cause.getClass().getSimpleName());
	}

	static @Nullable String timestamp(@Nullable Instant instant) {
		return (instant != null) ? TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS)) : null;
	}

	/** What an operation did; over HTTP each maps to a status. */
	public enum Result {

		/** 200. */
		FOUND,
		/** 200. */
		KILLED,
		/** 404. */
		NOT_FOUND,
		/** 404: no entry of that name under {@code sandboxer.providers}. */
		UNKNOWN_PROVIDER,
		/** 403: the sandbox exists but this application did not create it, and {@code force} was not given. */
		NOT_CREATED_HERE,
		/** 504: the provider did not answer within the endpoint's timeout. */
		TIMEOUT,
		/** 502: the provider answered with an error. */
		FAILED;

		/** As written in answers: {@code not_found}. */
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * The sandboxes of every provider, by the provider's configured name.
	 * @param scope {@code created-here} (the default) or {@code all}
	 */
	public record SandboxesDescriptor(String scope, Map<String, ProviderSandboxesDescriptor> providers)
			implements OperationResponseBody {
	}

	/**
	 * The sandboxes of one provider.
	 * @param error why the provider could not list them, or {@code null}
	 */
	public record ProviderSandboxesDescriptor(String type, List<SandboxDescriptor> sandboxes, @Nullable String error) {
	}

	/**
	 * One sandbox. Timestamps are ISO-8601 in UTC with milliseconds ({@code 2026-11-27T00:18:55.803Z}).
	 * @param createdHere whether this application created it and would kill it at shutdown
	 */
	public record SandboxDescriptor(String id, String status, @Nullable String template, String startedAt,
			@Nullable String expiresAt, Map<String, String> metadata, boolean createdHere)
			implements OperationResponseBody {

		static SandboxDescriptor of(SandboxInfo info, Set<String> owned) {
			return new SandboxDescriptor(info.id(), info.status().value(), info.template(), timestamp(info.startedAt()),
					timestamp(info.expiresAt()), info.metadata(), owned.contains(info.id()));
		}

	}

	/** The answer about one sandbox: the sandbox, or why there is none. */
	public record SandboxLookup(Result result, @Nullable SandboxDescriptor sandbox, @Nullable String reason)
			implements OperationResponseBody {

		static SandboxLookup failed(Result result, String reason) {
			return new SandboxLookup(result, null, reason);
		}

	}

	/** What a kill did, and why not when it did not. */
	public record KilledSandboxDescriptor(String provider, String id, boolean killed, String result,
			@Nullable String reason) implements OperationResponseBody {

		static KilledSandboxDescriptor of(String provider, String id, Result result, @Nullable String reason) {
			return new KilledSandboxDescriptor(provider, id, result == Result.KILLED, result.value(), reason);
		}

		Result outcome() {
			return Result.valueOf(this.result.toUpperCase(java.util.Locale.ROOT));
		}

	}

}
