package dev.sandboxer.provider.blaxel;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The control plane ({@code https://api.blaxel.ai/v0}): sandboxes and their previews, as the official SDK's
 * generated client calls them ({@code @blaxel/core/src/client/sdk.gen.ts}).
 * <ul>
 * <li>Create is sent once. A 504 from the edge in front of the API means the create outlived the edge's read
 * timeout while the control plane keeps deploying (the official SDK's ENG-3662 note), so the record is then
 * awaited with {@code GET} by the name this client chose, never created a second time.</li>
 * <li>List pages through {@code meta.nextCursor} (API version 2026-04-28) and also reads the older bare array. A
 * metadata filter is narrowed on the server with {@code q} (a substring search over names and labels) and applied
 * exactly here, because {@code q} is a substring match.</li>
 * <li>A new deadline is written by reading the sandbox and putting it back whole with a new
 * {@code spec.runtime.ttl} (max age from creation), as the SDK's {@code updateTtl} does; fields this client does
 * not know are kept.</li>
 * </ul>
 */
final class ControlPlane {

	/** The API's largest page. */
	static final int PAGE_LIMIT = 200;

	private static final Duration CREATE_SETTLE_POLL = Duration.ofSeconds(2);

	private static final int CREATE_SETTLE_ATTEMPTS = 60;

	private final VendorHttpClient http;

	private final URI apiUrl;

	private final BlaxelAuth auth;

	ControlPlane(VendorHttpClient http, URI apiUrl, BlaxelAuth auth) {
		this.http = http;
		this.apiUrl = apiUrl;
		this.auth = auth;
	}

	Mono<BlaxelJson.Sandbox> create(BlaxelJson.Sandbox body, String name) {
		return call(HttpMethod.POST, "/sandboxes", "createSandbox").neverRepeat()
			.jsonBody(body)
			.json(BlaxelJson.Sandbox.class)
			.onErrorResume(ProviderException.class,
					(error) -> (error.status().orElse(0) == 504) ? awaitCreated(name, error) : Mono.error(error));
	}

	Mono<BlaxelJson.Sandbox> get(String name, String operation) {
		return call(HttpMethod.GET, sandboxPath(name), operation).json(BlaxelJson.Sandbox.class);
	}

	Mono<Void> delete(String name, String operation) {
		return call(HttpMethod.DELETE, sandboxPath(name), operation).discard();
	}

	/** Makes the sandbox end {@code lifetime} from now by giving it a new max age from its creation. */
	Mono<Void> setTimeout(String name, Duration lifetime) {
		return call(HttpMethod.GET, sandboxPath(name), "setTimeout").bytes().flatMap((answer) -> {
			Map<String, Object> sandbox;
			try {
				sandbox = copy(this.http.json().read(answer.body(), Map.class));
			}
			catch (JsonCodec.MalformedJsonException ex) {
				return Mono.error(this.http.failures().malformedBody("setTimeout", answer.status(),
						String.valueOf(ex.getMessage())));
			}
			Map<String, Object> spec = child(sandbox, "spec");
			Map<String, Object> runtime = child(spec, "runtime");
			Object createdAt = child(sandbox, "metadata").get("createdAt");
			Instant created = (createdAt instanceof String text) ? parse(text) : null;
			Instant now = Instant.now();
			if (created != null && !created.isAfter(now)) {
				runtime.put("ttl", SandboxInfos.ttlText(Duration.between(created, now).plus(lifetime)));
				runtime.remove("expires");
			}
			else {
				// Without a creation time the deadline can only be absolute.
				runtime.put("expires", now.plus(lifetime).toString());
				runtime.remove("ttl");
			}
			return call(HttpMethod.PUT, sandboxPath(name), "setTimeout").safeToRepeat()
				.jsonBody(sandbox)
				.discard();
		});
	}

	Mono<List<SandboxInfo>> list(ListSandboxesFilter filter) {
		String query = filter.metadata()
			.values()
			.stream()
			.filter((value) -> value.strip().length() >= 2)
			.max(Comparator.comparingInt(String::length))
			.orElse(null);
		return page(filter, query, null, new ArrayList<>());
	}

	/** The public URL of a port: the sandbox's preview for it, made (public) on first use. */
	Mono<String> previewUrl(String name, int port) {
		String preview = "sandboxer-port-" + port;
		Mono<BlaxelJson.Preview> existing = call(HttpMethod.GET,
				sandboxPath(name) + "/previews/" + PathSegment.encode(preview), "portUrl")
			.json(BlaxelJson.Preview.class);
		Mono<BlaxelJson.Preview> created = call(HttpMethod.POST, sandboxPath(name) + "/previews", "portUrl")
			.neverRepeat()
			.jsonBody(new BlaxelJson.Preview(new BlaxelJson.PreviewMetadata(preview),
					new BlaxelJson.PreviewSpec(port, Boolean.TRUE, null)))
			.json(BlaxelJson.Preview.class);
		return existing.onErrorResume(NotFoundException.class, (absent) -> created).flatMap((found) -> {
			String url = (found.spec() != null) ? found.spec().url() : null;
			return (url != null && !url.isBlank()) ? Mono.just(url)
					: Mono.error(new ProviderException(BlaxelSettings.PROVIDER,
							"blaxel portUrl: the preview of port " + port + " has no spec.url yet"));
		});
	}

	Mono<Void> ping() {
		return call(HttpMethod.GET, "/sandboxes?limit=1", "ping").discard();
	}

	private Mono<List<SandboxInfo>> page(ListSandboxesFilter filter, @Nullable String query, @Nullable String cursor,
			List<SandboxInfo> found) {
		StringBuilder path = new StringBuilder("/sandboxes?limit=").append(PAGE_LIMIT);
		if (query != null) {
			path.append("&q=").append(PathSegment.encode(query));
		}
		if (cursor != null) {
			path.append("&cursor=").append(PathSegment.encode(cursor));
		}
		return call(HttpMethod.GET, path.toString(), "listSandboxes").bytes().flatMap((answer) -> {
			Page page = read(answer.body(), answer.status());
			for (BlaxelJson.Sandbox sandbox : page.items) {
				if (sandbox.metadata() == null || sandbox.metadata().name() == null) {
					continue;
				}
				SandboxInfo info = SandboxInfos.of(sandbox, sandbox.metadata().name());
				if (filter.matches(info.metadata())) {
					found.add(info);
				}
				if (filter.limit() != null && found.size() >= filter.limit()) {
					return Mono.just(List.copyOf(found));
				}
			}
			if (page.nextCursor == null || page.nextCursor.equals(cursor)) {
				return Mono.just(List.copyOf(found));
			}
			return page(filter, query, page.nextCursor, found);
		});
	}

	private Page read(byte[] body, int status) {
		JsonCodec json = this.http.json();
		try {
			int first = 0;
			while (first < body.length && Character.isWhitespace(body[first])) {
				first++;
			}
			if (first < body.length && body[first] == '[') {
				return new Page(List.of(json.read(body, BlaxelJson.Sandbox[].class)), null);
			}
			BlaxelJson.SandboxPage page = json.read(body, BlaxelJson.SandboxPage.class);
			boolean more = page.meta() != null && Boolean.TRUE.equals(page.meta().hasMore());
			String next = (more && page.meta().nextCursor() != null && !page.meta().nextCursor().isBlank())
					? page.meta().nextCursor() : null;
			return new Page((page.data() != null) ? page.data() : List.of(), next);
		}
		catch (JsonCodec.MalformedJsonException ex) {
			throw this.http.failures().malformedBody("listSandboxes", status, String.valueOf(ex.getMessage()));
		}
	}

	private Mono<BlaxelJson.Sandbox> awaitCreated(String name, ProviderException gatewayTimeout) {
		return get(name, "createSandbox")
			.retryWhen(Retry.fixedDelay(CREATE_SETTLE_ATTEMPTS, CREATE_SETTLE_POLL)
				.filter(NotFoundException.class::isInstance))
			.onErrorMap((error) -> (error instanceof NotFoundException || reactor.core.Exceptions.isRetryExhausted(error))
					? gatewayTimeout : error);
	}

	private HttpCall call(HttpMethod method, String pathAndQuery, String operation) {
		return this.auth.apply(this.http.call(method, URI.create(this.apiUrl + pathAndQuery)).operation(operation))
			.header("Accept", MediaType.APPLICATION_JSON_VALUE);
	}

	static String sandboxPath(String name) {
		return "/sandboxes/" + PathSegment.encode(name);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> copy(Map<?, ?> map) {
		return new LinkedHashMap<>((Map<String, Object>) map);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> child(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		Map<String, Object> child = (value instanceof Map<?, ?> map) ? new LinkedHashMap<>((Map<String, Object>) map)
				: new LinkedHashMap<>();
		parent.put(key, child);
		return child;
	}

	private static @Nullable Instant parse(String text) {
		try {
			return java.time.OffsetDateTime.parse(text).toInstant();
		}
		catch (java.time.format.DateTimeParseException ex) {
			return null;
		}
	}

	private record Page(List<BlaxelJson.Sandbox> items, @Nullable String nextCursor) {
	}

}
