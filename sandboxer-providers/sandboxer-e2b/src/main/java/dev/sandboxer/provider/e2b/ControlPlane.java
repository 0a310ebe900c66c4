package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.e2b.ControlPlaneJson.ConnectSandbox;
import dev.sandboxer.provider.e2b.ControlPlaneJson.CreatedSandbox;
import dev.sandboxer.provider.e2b.ControlPlaneJson.ListedSandbox;
import dev.sandboxer.provider.e2b.ControlPlaneJson.NewSandbox;
import dev.sandboxer.provider.e2b.ControlPlaneJson.PauseRequest;
import dev.sandboxer.provider.e2b.ControlPlaneJson.SandboxDetail;
import dev.sandboxer.provider.e2b.ControlPlaneJson.TimeoutRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * E2B's control plane ({@code spec/openapi.yml}), authenticated with {@code X-API-Key}. Reads, kills, connect
 * and timeout changes are repeated on transient failures; create and pause never are (a second pause answers 409, a
 * second create makes a second sandbox).
 */
final class ControlPlane {

	static final String API_KEY_HEADER = "X-API-Key";

	static final String NEXT_TOKEN_HEADER = "X-Next-Token";

	/** The largest page {@code GET /v2/sandboxes} serves ({@code paginationLimit}: maximum 100). */
	static final int MAX_PAGE = 100;

	private final VendorHttpClient http;

	private final URI apiUrl;

	private final String apiKey;

	ControlPlane(VendorHttpClient http, URI apiUrl, String apiKey) {
		this.http = http;
		this.apiUrl = apiUrl;
		this.apiKey = apiKey;
	}

	Mono<CreatedSandbox> create(NewSandbox body) {
		return call(this.http.post(uri("/sandboxes")), "createSandbox").neverRepeat()
			.jsonBody(body)
			.json(CreatedSandbox.class);
	}

	Mono<SandboxDetail> get(String sandboxId, String operation) {
		return call(this.http.get(uri("/sandboxes/{id}", sandboxId)), operation).json(SandboxDetail.class);
	}

	Mono<Void> kill(String sandboxId) {
		return call(this.http.delete(uri("/sandboxes/{id}", sandboxId)), "killSandbox").discard();
	}

	/** Pauses; a sandbox that is already paused (409) counts as done. */
	Mono<Void> pause(String sandboxId) {
		return call(this.http.post(uri("/sandboxes/{id}/pause", sandboxId)), "pause").jsonBody(new PauseRequest(true))
			.discard()
			.onErrorResume(ProviderException.class, (error) -> (error.status().orElse(0) == 409) ? Mono.empty()
					: Mono.error(error));
	}

	/**
	 * Resumes a paused sandbox, or only extends a running one's lifetime: the spec's replacement for the deprecated
	 * {@code /resume}, documented as repeatable.
	 */
	Mono<CreatedSandbox> connect(String sandboxId, Duration lifetime) {
		return call(this.http.post(uri("/sandboxes/{id}/connect", sandboxId)), "resume").safeToRepeat()
			.jsonBody(new ConnectSandbox(seconds(lifetime)))
			.json(CreatedSandbox.class);
	}

	/**
	 * Makes the sandbox expire {@code lifetime} from now, shortening or extending it. Safe to repeat: the spec says
	 * each call overwrites the deadline, counting from its own arrival, so a repeat after a lost answer sets the same
	 * lifetime again, at most the retry wait later.
	 */
	Mono<Void> setTimeout(String sandboxId, Duration lifetime) {
		return call(this.http.post(uri("/sandboxes/{id}/timeout", sandboxId)), "setTimeout").safeToRepeat()
			.jsonBody(new TimeoutRequest(seconds(lifetime)))
			.discard();
	}

	/** Every sandbox passing the filter, page after page until the limit is met or the pages run out. */
	Mono<List<SandboxInfo>> list(ListSandboxesFilter filter) {
		return listFrom(filter, null, new ArrayList<>());
	}

	/** The cheapest authenticated call: one row of the list. */
	Mono<Void> ping() {
		return call(this.http.get(listUri(Map.of(), 1, null)), "ping").discard();
	}

	private Mono<List<SandboxInfo>> listFrom(ListSandboxesFilter filter, @Nullable String nextToken,
			List<SandboxInfo> found) {
		Integer limit = filter.limit();
		int pageSize = (limit != null) ? Math.min(MAX_PAGE, limit - found.size()) : MAX_PAGE;
		return call(this.http.get(listUri(filter.metadata(), pageSize, nextToken)), "listSandboxes")
			.jsonAnswer(ListedSandbox[].class)
			.flatMap((page) -> {
				for (ListedSandbox row : page.body()) {
					SandboxInfo info = info(row.sandboxID(), row.templateID(), row.state(), row.startedAt(),
							row.endAt(), row.metadata(), row.cpuCount(), row.memoryMB());
					// The API filters already; checking again keeps the promise if a server ignores the filter.
					if (filter.matches(info.metadata()) && (limit == null || found.size() < limit)) {
						found.add(info);
					}
				}
				String next = page.headers().getFirst(NEXT_TOKEN_HEADER);
				boolean more = next != null && !next.isBlank() && page.body().length > 0
						&& (limit == null || found.size() < limit);
				return more ? listFrom(filter, next, found) : Mono.just(found);
			});
	}

	SandboxInfo info(SandboxDetail detail) {
		return info(detail.sandboxID(), detail.templateID(), detail.state(), detail.startedAt(), detail.endAt(),
				detail.metadata(), detail.cpuCount(), detail.memoryMB());
	}

	private SandboxInfo info(String id, String template, @Nullable String state, @Nullable String startedAt,
			@Nullable String endAt, @Nullable Map<String, String> metadata, @Nullable Integer cpus,
			@Nullable Integer memoryMb) {
		Instant started = (startedAt != null) ? instant(startedAt, "startedAt") : null;
		if (started == null) {
			throw this.http.failures().malformedBody("info", 200, "sandbox " + id + " has no startedAt");
		}
		return new SandboxInfo(id, ProviderName.E2B, template, status(state), started,
				(endAt != null) ? instant(endAt, "endAt") : null, (metadata != null) ? metadata : Map.of(), cpus,
				memoryMb);
	}

	/** The spec's {@code SandboxState} has two values; any other is reported as an error, not guessed at. */
	static SandboxStatus status(@Nullable String state) {
		if ("running".equals(state)) {
			return SandboxStatus.RUNNING;
		}
		if ("paused".equals(state)) {
			return SandboxStatus.PAUSED;
		}
		return SandboxStatus.ERROR;
	}

	private Instant instant(String text, String field) {
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw this.http.failures().malformedBody("info", 200, field + " is not an RFC 3339 time: " + text);
		}
	}

	private HttpCall call(HttpCall call, String operation) {
		return call.operation(operation).secretHeader(API_KEY_HEADER, this.apiKey);
	}

	private URI uri(String path, Object... variables) {
		return UriComponentsBuilder.fromUri(this.apiUrl).path(path).encode().buildAndExpand(variables).toUri();
	}

	/**
	 * {@code metadata} is one query value holding {@code key=value} pairs joined by {@code &}, each key and value
	 * URL-encoded ("user=abc&app=prod"); the value as a whole is then encoded once more as a query parameter.
	 */
	private URI listUri(Map<String, String> metadata, int limit, @Nullable String nextToken) {
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.apiUrl)
			.path("/v2/sandboxes")
			.queryParam("limit", "{limit}");
		Map<String, Object> values = new HashMap<>();
		values.put("limit", limit);
		if (!metadata.isEmpty()) {
			builder.queryParam("metadata", "{metadata}");
			values.put("metadata", metadata.entrySet()
				.stream()
				.map((entry) -> UriUtils.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
						+ UriUtils.encode(entry.getValue(), StandardCharsets.UTF_8))
				.sorted()
				.collect(Collectors.joining("&")));
		}
		if (nextToken != null) {
			builder.queryParam("nextToken", "{nextToken}");
			values.put("nextToken", nextToken);
		}
		return builder.encode().buildAndExpand(values).toUri();
	}

	static int seconds(Duration lifetime) {
		// Whole seconds, rounded up, within int32 as the spec types them; never toMillis(), which overflows.
		long seconds = Math.min(lifetime.getSeconds(), Integer.MAX_VALUE - 1L) + ((lifetime.getNano() > 0) ? 1 : 0);
		return (int) Math.max(1, seconds);
	}

}
