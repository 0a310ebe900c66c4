package dev.sandboxer.provider.fly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.StreamInterruptedException;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.fly.MachineJson.CreateMachine;
import dev.sandboxer.provider.fly.MachineJson.Machine;
import dev.sandboxer.provider.fly.MachineJson.MachineConfig;
import dev.sandboxer.provider.fly.MachineJson.Port;
import dev.sandboxer.provider.fly.MachineJson.Service;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The lifecycle of machines in terms of sandboxes: create and wait until started, read as {@link SandboxInfo},
 * pause ({@code suspend}) and resume ({@code start}) under a lease, destroy, list, and the public URL of a port.
 * <p>
 * Waiting uses the API's {@code wait?state=} (Fly holds the request until the state is reached, at most 60 s a
 * call), never a polling loop. Pause and resume take a short lease first, as flyctl does, so that they never
 * interleave with another client's change; a machine leased by someone else is reported, not overridden. A destroy
 * ({@code force=true}) takes none: ending a machine must not wait for anyone.
 */
final class Machines {

	/** How long create, pause and resume wait for the machine to get where they sent it. */
	static final Duration SETTLE = Duration.ofSeconds(120);

	/** A lease only covers the one call it guards; Fly ends it by itself if the release is lost. */
	static final int LEASE_SECONDS = 30;

	private final MachinesApi api;

	private final FlySettings settings;

	Machines(MachinesApi api, FlySettings settings) {
		this.api = api;
		this.settings = settings;
	}

	/**
	 * Creates and waits until it started. A paid machine is never left behind by a failed create: one that does not
	 * start is destroyed before the failure is reported; one whose create answer was lost (a timeout, a cut
	 * connection) is looked up by the create's own token ({@value MachineStates#REQUEST} in its metadata) and
	 * destroyed; a create cancelled by the caller destroys the machine it made. Should all of that fail too, the
	 * machine still ends at its deadline, by itself (see {@link Lifetime}).
	 */
	Mono<SandboxInfo> create(CreateMachine body, String requestToken) {
		return this.api.create(body)
			.onErrorResume(Machines::answerLost, (error) -> destroyCreatedBy(requestToken).then(Mono.error(error)))
			.flatMap((machine) -> {
				if ("started".equals(machine.state())) {
					return Mono.just(MachineStates.info(machine, SandboxStatus.RUNNING));
				}
				return settle(machine.id(), "started", "createSandbox")
					.thenReturn(MachineStates.info(machine, SandboxStatus.RUNNING))
					.onErrorResume((error) -> destroyQuietly(machine.id()).then(Mono.error(error)))
					.doOnCancel(() -> destroyQuietly(machine.id()).subscribe());
			});
	}

	/** A failure after which the machine may exist although no answer said so. */
	private static boolean answerLost(Throwable error) {
		return error instanceof ProviderTimeoutException || error instanceof ProviderConnectionException
				|| error instanceof StreamInterruptedException;
	}

	private Mono<Void> destroyCreatedBy(String requestToken) {
		return this.api.listPage(Map.of(MachineStates.REQUEST, requestToken), MachinesApi.MAX_PAGE, null)
			.flatMapMany((page) -> Flux.fromArray(page.body()))
			.concatMap((machine) -> destroyQuietly(machine.id()))
			.onErrorResume((ignored) -> Mono.empty())
			.then();
	}

	private Mono<Void> destroyQuietly(String id) {
		return this.api.destroy(id, "createSandbox").onErrorResume((ignored) -> Mono.empty());
	}

	Mono<Machine> get(String id, String operation) {
		return this.api.get(id, operation).map(MachineStates::requireLive);
	}

	Mono<SandboxInfo> info(String id, String operation) {
		return get(id, operation).map(MachineStates::info);
	}

	Mono<Void> pause(String id) {
		return leased(id, "pause", (nonce) -> this.api.suspend(id, nonce)).then(settle(id, "suspended", "pause"));
	}

	Mono<Void> resume(String id) {
		return leased(id, "resume", (nonce) -> this.api.start(id, nonce)).then(settle(id, "started", "resume"));
	}

	Mono<Void> destroy(String id, String operation) {
		return this.api.destroy(id, operation);
	}

	/**
	 * The public URL Fly's proxy routes to {@code port} inside the machine: the first external port of the service
	 * whose {@code internal_port} it is, on the app's host. https when the port terminates TLS, http for a plain
	 * HTTP handler, tcp otherwise; the default port of the scheme is left out.
	 */
	Mono<String> portUrl(String id, int port) {
		return get(id, "portUrl").map((machine) -> {
			MachineConfig config = machine.effectiveConfig();
			List<Service> services = (config != null && config.services() != null) ? config.services() : List.of();
			for (Service service : services) {
				if (service.internalPort() == null || service.internalPort() != port || service.ports() == null) {
					continue;
				}
				for (Port published : service.ports()) {
					if (published.port() != null) {
						return url(published);
					}
				}
			}
			throw new NotSupportedException(FlySettings.PROVIDER, "portUrl(" + port + ")",
					"machine " + id + " publishes no service on port " + port + " (Fly routes only the services in a "
							+ "machine's config); create the sandbox with ports(" + port + ")");
		});
	}

	/**
	 * Every machine this library created that matches the filter, page after page. The metadata filter runs on Fly's
	 * side ({@code metadata.<key>=<value>}, exact, all must match); pages are followed by their
	 * {@code fly-next-cursor} header, even an empty page (the API says pages may be short while more remain).
	 */
	Mono<List<SandboxInfo>> list(ListSandboxesFilter filter) {
		Map<String, String> metadata = new LinkedHashMap<>(filter.metadata());
		metadata.put(MachineStates.MANAGED, "true");
		return listFrom(filter, metadata, null, new ArrayList<>());
	}

	private Mono<List<SandboxInfo>> listFrom(ListSandboxesFilter filter, Map<String, String> metadata,
			@Nullable String cursor, List<SandboxInfo> found) {
		Integer limit = filter.limit();
		int pageSize = (limit != null) ? Math.min(MachinesApi.MAX_PAGE, limit - found.size()) : MachinesApi.MAX_PAGE;
		return this.api.listPage(metadata, pageSize, cursor).flatMap((page) -> {
			for (Machine machine : page.body()) {
				if (MachineStates.isGone(machine)) {
					continue;
				}
				SandboxInfo info = MachineStates.info(machine);
				// Fly filters already; checking again keeps the promise if a server ignores a filter.
				if (filter.matches(info.metadata()) && (limit == null || found.size() < limit)) {
					found.add(info);
				}
			}
			String next = page.headers().getFirst(MachinesApi.NEXT_CURSOR_HEADER);
			boolean more = next != null && !next.isBlank() && !next.equals(cursor)
					&& (limit == null || found.size() < limit);
			return more ? listFrom(filter, metadata, next, found) : Mono.just(found);
		});
	}

	/** Waits for a state, one {@code wait} call after another, until {@link #SETTLE} has passed. */
	private Mono<Void> settle(String id, String state, String operation) {
		return settle(id, state, operation, Math.max(1, SETTLE.toSeconds() / MachinesApi.MAX_WAIT.toSeconds()));
	}

	private Mono<Void> settle(String id, String state, String operation, long roundsLeft) {
		return this.api.waitFor(id, state, MachinesApi.MAX_WAIT, operation).flatMap((reached) -> {
			if (reached) {
				return Mono.<Void>empty();
			}
			if (roundsLeft > 1) {
				return settle(id, state, operation, roundsLeft - 1);
			}
			return Mono.<Void>error(new ProviderTimeoutException(FlySettings.PROVIDER, FlySettings.PROVIDER + " "
					+ operation + ": machine " + id + " did not reach state '" + state + "' within "
					+ SETTLE.toSeconds() + " s", null));
		});
	}

	private Mono<Void> leased(String id, String operation, Function<String, Mono<Void>> change) {
		return Mono.usingWhen(this.api.acquireLease(id, "sandboxer " + operation, LEASE_SECONDS, operation), change,
				(nonce) -> this.api.releaseLease(id, nonce, operation).onErrorResume((ignored) -> Mono.empty()));
	}

	private String url(Port published) {
		List<String> handlers = (published.handlers() != null) ? published.handlers() : List.of();
		int external = published.port();
		String host = this.settings.publicHost();
		if (handlers.contains("tls")) {
			return "https://" + host + ((external == 443) ? "" : ":" + external);
		}
		if (handlers.contains("http")) {
			return "http://" + host + ((external == 80) ? "" : ":" + external);
		}
		return "tcp://" + host + ":" + external;
	}

}
