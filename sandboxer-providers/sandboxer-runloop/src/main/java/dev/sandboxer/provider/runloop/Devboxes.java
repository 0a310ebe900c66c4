package dev.sandboxer.provider.runloop;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.runloop.RunloopJson.CreateDevbox;
import dev.sandboxer.provider.runloop.RunloopJson.DevboxList;
import dev.sandboxer.provider.runloop.RunloopJson.DevboxView;
import dev.sandboxer.provider.runloop.RunloopJson.LaunchParameters;
import dev.sandboxer.provider.runloop.RunloopJson.TunnelRequest;
import dev.sandboxer.provider.runloop.RunloopJson.TunnelView;
import dev.sandboxer.provider.runloop.RunloopJson.UpdateDevbox;
import dev.sandboxer.provider.runloop.RunloopJson.WaitForStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The devbox half of Runloop's API ({@code resources/devboxes/devboxes.py}), with {@code Authorization: Bearer}.
 * Reads, waits, keep-alives, metadata updates and shutdowns are repeated on transient failures (each is idempotent);
 * create, suspend, resume and tunnel changes never are.
 */
final class Devboxes {

	/** Where {@code setTimeout} records when it renewed the keep-alive, so that any client can tell the deadline. */
	static final String KEPT_ALIVE_AT = "sandboxer-kept-alive-at";

	/** The server holds a devbox {@code wait_for_status} at most this long ({@code _constants.py}). */
	static final int STATUS_HOLD_SECONDS = 30;

	/** How much longer than the server's hold the client waits, so that the server's 408 comes first. */
	static final Duration HOLD_MARGIN = Duration.ofSeconds(5);

	/** {@code GET /v1/devboxes} serves at most this many per page. */
	static final int MAX_PAGE = 5000;

	private final VendorHttpClient http;

	private final URI baseUrl;

	private final String apiKey;

	Devboxes(VendorHttpClient http, URI baseUrl, String apiKey) {
		this.http = http;
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
	}

	Mono<DevboxView> create(CreateDevbox body) {
		return call(this.http.post(uri("/v1/devboxes")), "createSandbox").neverRepeat()
			.jsonBody(body)
			.json(DevboxView.class);
	}

	Mono<DevboxView> get(String id, String operation) {
		return call(this.http.get(uri("/v1/devboxes/{id}", id)), operation).json(DevboxView.class);
	}

	Mono<DevboxList> page(int limit, @Nullable String startingAfter, String operation) {
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.baseUrl)
			.path("/v1/devboxes")
			.queryParam("limit", limit)
			.queryParam("include_total_count", false);
		if (startingAfter != null) {
			builder.queryParam("starting_after", "{after}");
		}
		URI uri = builder.encode().buildAndExpand(Map.of("after", (startingAfter != null) ? startingAfter : ""))
			.toUri();
		return call(this.http.get(uri), operation).json(DevboxList.class);
	}

	/**
	 * Long-polls until the devbox reaches one of {@code statuses} or the deadline passes. Each poll asks the server to
	 * hold for what is left (at most its 30 s); a 408 means the hold ran out and the wait goes on.
	 */
	Mono<DevboxView> waitForStatus(String id, List<String> statuses, Instant deadline, String operation) {
		return Mono.defer(() -> {
			long left = Duration.between(Instant.now(), deadline).toSeconds();
			if (left < 1) {
				return Mono.error(new ProviderTimeoutException(RunloopSettings.PROVIDER, "runloop " + operation
						+ ": devbox " + id + " did not reach " + statuses + " in time", null));
			}
			int hold = (int) Math.min(STATUS_HOLD_SECONDS, left);
			return call(this.http.post(uri("/v1/devboxes/{id}/wait_for_status", id)), operation).safeToRepeat()
				.timeout(Duration.ofSeconds(hold).plus(HOLD_MARGIN))
				.jsonBody(new WaitForStatus(statuses, hold))
				.json(DevboxView.class)
				.flatMap((view) -> statuses.contains(view.status()) ? Mono.just(view)
						: waitForStatus(id, statuses, deadline, operation))
				.onErrorResume(Devboxes::isHoldElapsed, (error) -> waitForStatus(id, statuses, deadline, operation));
		});
	}

	/**
	 * Shuts the devbox down; repeating a shutdown changes nothing, so transient failures are retried. A devbox that
	 * is already shut down stays readable and killing it again succeeds: the spec does not say what {@code shutdown}
	 * answers then, so a refusal of the request itself (a 4xx other than 401, 403, 404, 408 and 429) is checked
	 * against the devbox's status, and stands only when the devbox is not shut down.
	 */
	Mono<Void> shutdown(String id, String operation) {
		return call(this.http.post(uri("/v1/devboxes/{id}/shutdown", id)), operation).safeToRepeat()
			.discard()
			.onErrorResume(Devboxes::isRefusal, (refusal) -> get(id, operation)
				.onErrorResume(SandboxerException.class, (ignored) -> Mono.error(refusal))
				.flatMap((view) -> "shutdown".equals(view.status()) ? Mono.<Void>empty() : Mono.error(refusal)));
	}

	Mono<Void> suspend(String id) {
		return call(this.http.post(uri("/v1/devboxes/{id}/suspend", id)), "pause").neverRepeat().discard();
	}

	Mono<Void> resume(String id) {
		return call(this.http.post(uri("/v1/devboxes/{id}/resume", id)), "resume").neverRepeat().discard();
	}

	Mono<Void> keepAlive(String id) {
		return call(this.http.post(uri("/v1/devboxes/{id}/keep_alive", id)), "setTimeout").safeToRepeat().discard();
	}

	/** Replaces the devbox's whole metadata map (the API has no partial update). */
	Mono<Void> replaceMetadata(String id, Map<String, String> metadata) {
		return call(this.http.post(uri("/v1/devboxes/{id}", id)), "setTimeout").safeToRepeat()
			.jsonBody(new UpdateDevbox(metadata))
			.discard();
	}

	Mono<TunnelView> enableTunnel(String id) {
		return call(this.http.post(uri("/v1/devboxes/{id}/enable_tunnel", id)), "portUrl").neverRepeat()
			.jsonBody(new TunnelRequest("open"))
			.json(TunnelView.class);
	}

	/** The cheapest authenticated call: one row of the list. */
	Mono<Void> ping() {
		return page(1, null, "ping").then();
	}

	/** What a {@link DevboxView} says, in this library's terms. */
	static SandboxInfo info(DevboxView view, @Nullable String template) {
		Map<String, String> metadata = new LinkedHashMap<>((view.metadata() != null) ? view.metadata() : Map.of());
		String keptAliveAt = metadata.remove(KEPT_ALIVE_AT);
		Instant created = (view.createTimeMs() != null) ? Instant.ofEpochMilli(view.createTimeMs()) : Instant.now();
		SandboxStatus status = status(view.status());
		Instant expiresAt = null;
		LaunchParameters launch = view.launchParameters();
		if (status != SandboxStatus.STOPPED && status != SandboxStatus.ERROR) {
			expiresAt = DevboxLifetime.expiresAt(launch, renewedAt(keptAliveAt).orElse(created));
		}
		return new SandboxInfo(view.id(), RunloopProviderFactory.NAME, (template != null) ? template : view.blueprintId(),
				status, created, expiresAt, metadata, cpus(launch), memoryMb(launch));
	}

	/**
	 * Runloop's ten states in five: booting and resuming are starting, suspending and suspended are paused, a devbox
	 * that was shut down stays readable and is stopped; {@code failure}, and any state the spec does not list, is an
	 * error rather than a guess.
	 */
	static SandboxStatus status(@Nullable String status) {
		if (status == null) {
			return SandboxStatus.ERROR;
		}
		return switch (status) {
			case "scheduled", "queued", "provisioning", "initializing", "resuming" -> SandboxStatus.STARTING;
			case "running" -> SandboxStatus.RUNNING;
			case "suspending", "suspended" -> SandboxStatus.PAUSED;
			case "shutdown" -> SandboxStatus.STOPPED;
			default -> SandboxStatus.ERROR;
		};
	}

	/** When {@code setTimeout} last renewed the keep-alive, as it recorded; empty when never or unreadable. */
	private static Optional<Instant> renewedAt(@Nullable String keptAliveAt) {
		if (keptAliveAt == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Instant.ofEpochMilli(Long.parseLong(keptAliveAt)));
		}
		catch (NumberFormatException ex) {
			// Someone else's value under our key: the create time is the best we know.
			return Optional.empty();
		}
	}

	private static @Nullable Integer cpus(@Nullable LaunchParameters launch) {
		if (launch == null) {
			return null;
		}
		if (launch.customCpuCores() != null) {
			return launch.customCpuCores();
		}
		int[] size = ResourceSizes.of(launch.resourceSizeRequest());
		return (size != null) ? size[0] : null;
	}

	private static @Nullable Integer memoryMb(@Nullable LaunchParameters launch) {
		if (launch == null) {
			return null;
		}
		if (launch.customGbMemory() != null) {
			return launch.customGbMemory() * 1024;
		}
		int[] size = ResourceSizes.of(launch.resourceSizeRequest());
		return (size != null) ? size[1] : null;
	}

	private static boolean isRefusal(Throwable error) {
		int status = (error instanceof ProviderException provider) ? provider.status().orElse(0) : 0;
		return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408
				&& status != 429;
	}

	private static boolean isHoldElapsed(Throwable error) {
		return error instanceof ProviderException provider && provider.status().orElse(0) == 408;
	}

	private HttpCall call(HttpCall call, String operation) {
		return call.operation(operation).secretHeader("Authorization", "Bearer " + this.apiKey);
	}

	private URI uri(String path, Object... variables) {
		return UriComponentsBuilder.fromUri(this.baseUrl).path(path).encode().buildAndExpand(variables).toUri();
	}

}
