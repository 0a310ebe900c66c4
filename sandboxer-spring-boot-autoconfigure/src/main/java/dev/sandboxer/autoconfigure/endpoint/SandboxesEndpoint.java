package dev.sandboxer.autoconfigure.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.NoSuchSandboxerException;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.model.SandboxInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/sandboxes}: the live sandboxes of every configured provider, the details of one
 * ({@code /actuator/sandboxes/{provider}/{id}}) and, with an HTTP {@code DELETE} on that path, a way to kill one.
 * Like every endpoint, it is reachable over HTTP only when the application exposes it.
 */
@Endpoint(id = "sandboxes")
public class SandboxesEndpoint {

	private final Sandboxers sandboxers;

	public SandboxesEndpoint(Sandboxers sandboxers) {
		this.sandboxers = sandboxers;
	}

	/**
	 * Every provider's sandboxes, asked of all providers at once. A provider that cannot answer shows its error
	 * instead of failing the whole list.
	 */
	@ReadOperation
	public SandboxesDescriptor sandboxes() {
		Map<String, CompletableFuture<List<SandboxInfo>>> pending = new LinkedHashMap<>();
		this.sandboxers.all().forEach((name, sandboxer) -> pending.put(name, sandboxer.async().listSandboxes()));
		Map<String, ProviderSandboxesDescriptor> providers = new LinkedHashMap<>();
		pending.forEach((name, listing) -> providers.put(name, describe(this.sandboxers.get(name), listing)));
		return new SandboxesDescriptor(providers);
	}

	/** One sandbox; {@code null} (404 over HTTP) when the provider has no such sandbox. */
	@ReadOperation
	public @Nullable SandboxDescriptor sandbox(@Selector String provider, @Selector String id) {
		Sandboxer sandboxer = sandboxer(provider);
		try {
			// Attaching asks for the sandbox's details and owns nothing, so nothing needs releasing afterwards.
			SandboxInfo info = sandboxer.attachSandbox(id).initialInfo();
			return SandboxDescriptor.of(info, Set.copyOf(sandboxer.ownedSandboxIds()));
		}
		catch (NotFoundException ex) {
			return null;
		}
	}

	/** Kills one sandbox, whoever created it. */
	@DeleteOperation
	public KilledSandboxDescriptor kill(@Selector String provider, @Selector String id) {
		Sandboxer sandboxer = sandboxer(provider);
		try {
			sandboxer.killSandbox(id);
			return new KilledSandboxDescriptor(provider, id, true, "killed");
		}
		catch (NotFoundException ex) {
			return new KilledSandboxDescriptor(provider, id, false, "not found");
		}
	}

	private Sandboxer sandboxer(String provider) {
		try {
			return this.sandboxers.get(provider);
		}
		catch (NoSuchSandboxerException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), "Unknown provider '" + provider + "'");
		}
	}

	private static ProviderSandboxesDescriptor describe(Sandboxer sandboxer,
			CompletableFuture<List<SandboxInfo>> listing) {
		Set<String> owned = Set.copyOf(sandboxer.ownedSandboxIds());
		try {
			List<SandboxDescriptor> sandboxes = listing.join()
				.stream()
				.map((info) -> SandboxDescriptor.of(info, owned))
				.toList();
			return new ProviderSandboxesDescriptor(sandboxer.type().id(), sandboxes, null);
		}
		catch (CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return new ProviderSandboxesDescriptor(sandboxer.type().id(), List.of(),
					cause.getClass().getSimpleName() + ": " + cause.getMessage());
		}
	}

	/** The sandboxes of every provider, by the provider's configured name. */
	public record SandboxesDescriptor(Map<String, ProviderSandboxesDescriptor> providers)
			implements OperationResponseBody {
	}

	/**
	 * The sandboxes of one provider.
	 * @param error why the provider could not list them, or {@code null}
	 */
	public record ProviderSandboxesDescriptor(String type, List<SandboxDescriptor> sandboxes, @Nullable String error) {
	}

	/**
	 * One sandbox.
	 * @param createdHere whether this application created it and would kill it at shutdown
	 */
	public record SandboxDescriptor(String id, String status, @Nullable String template, Instant startedAt,
			@Nullable Instant expiresAt, Map<String, String> metadata, boolean createdHere)
			implements OperationResponseBody {

		static SandboxDescriptor of(SandboxInfo info, Set<String> owned) {
			return new SandboxDescriptor(info.id(), info.status().value(), info.template(), info.startedAt(),
					info.expiresAt(), info.metadata(), owned.contains(info.id()));
		}

	}

	/** What a kill did. */
	public record KilledSandboxDescriptor(String provider, String id, boolean killed, String result)
			implements OperationResponseBody {
	}

}
