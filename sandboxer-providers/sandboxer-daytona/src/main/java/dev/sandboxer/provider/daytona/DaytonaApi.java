package dev.sandboxer.provider.daytona;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The main Daytona API ({@code /sandbox...} under the API URL), as {@code libs/api-client-go/api/openapi.yaml} at
 * b5a5d9e7 defines it. Reads are repeated on transient failures; a create never is; state changes are not either,
 * except setting an interval, which sets the same value however often it arrives.
 */
final class DaytonaApi {

	/** Largest page the list endpoint serves. */
	static final int MAX_PAGE = 200;

	private static final Set<String> FAILED = Set.of("error", "build_failed");

	private static final Duration FIRST_POLL = Duration.ofMillis(100);

	private static final Duration LAST_POLL = Duration.ofSeconds(1);

	private final VendorHttpClient http;

	private final URI apiUrl;

	private final Credentials credentials;

	DaytonaApi(VendorHttpClient http, URI apiUrl, Credentials credentials) {
		this.http = http;
		this.apiUrl = apiUrl;
		this.credentials = credentials;
	}

	URI apiUrl() {
		return this.apiUrl;
	}

	Mono<ApiJson.Sandbox> create(ApiJson.CreateSandbox body) {
		return call(HttpMethod.POST, uri("/sandbox"), "createSandbox").neverRepeat()
			.jsonBody(body)
			.json(ApiJson.Sandbox.class);
	}

	Mono<ApiJson.Sandbox> get(String id, String operation) {
		return call(HttpMethod.GET, uri("/sandbox/{id}", id), operation).json(ApiJson.Sandbox.class);
	}

	Mono<Void> delete(String id, String operation) {
		return call(HttpMethod.DELETE, uri("/sandbox/{id}", id), operation).discard();
	}

	Mono<Void> start(String id) {
		return call(HttpMethod.POST, uri("/sandbox/{id}/start", id), "resume").discard();
	}

	Mono<Void> stop(String id) {
		return call(HttpMethod.POST, uri("/sandbox/{id}/stop", id), "pause").discard();
	}

	/** Minutes of inactivity before the sandbox stops; 0 turns auto-stop off. */
	Mono<Void> setAutoStop(String id, long minutes, String operation) {
		return call(HttpMethod.POST, uri("/sandbox/{id}/autostop/{minutes}", id, minutes), operation).safeToRepeat()
			.discard();
	}

	/** Minutes a stopped sandbox is kept before it is deleted; negative turns auto-delete off. */
	Mono<Void> setAutoDelete(String id, long minutes, String operation) {
		return call(HttpMethod.POST, uri("/sandbox/{id}/autodelete/{minutes}", id, minutes), operation).safeToRepeat()
			.discard();
	}

	Mono<ApiJson.PreviewUrl> previewUrl(String id, int port) {
		return call(HttpMethod.GET, uri("/sandbox/{id}/ports/{port}/preview-url", id, port), "portUrl")
			.json(ApiJson.PreviewUrl.class);
	}

	/** {@code GET /sandbox/{id}/toolbox-proxy-url}; empty when the API is too old to have it. */
	Mono<String> toolboxProxyUrl(String id) {
		return call(HttpMethod.GET, uri("/sandbox/{id}/toolbox-proxy-url", id), "toolboxProxyUrl")
			.json(ApiJson.ToolboxProxyUrl.class)
			.map(ApiJson.ToolboxProxyUrl::url)
			.filter((url) -> !url.isBlank())
			.onErrorResume(NotFoundException.class, (ex) -> Mono.empty());
	}

	/** One cheap authenticated call: the first sandbox of the list. */
	Mono<Void> ping() {
		URI uri = UriComponentsBuilder.fromUri(this.apiUrl).path("/sandbox").queryParam("limit", 1).build().toUri();
		return call(HttpMethod.GET, uri, "ping").discard();
	}

	/**
	 * Pages through {@code GET /sandbox} with its cursor. The metadata filter goes to the server as the JSON
	 * {@code labels} parameter and is checked again here, so that a server which ignores it cannot widen the
	 * answer.
	 */
	Mono<List<SandboxInfo>> list(ListSandboxesFilter filter) {
		String labels = filter.metadata().isEmpty() ? null : new String(this.http.json().write(filter.metadata()),
				java.nio.charset.StandardCharsets.UTF_8);
		return page(filter, labels, null, new ArrayList<>());
	}

	private Mono<List<SandboxInfo>> page(ListSandboxesFilter filter, @Nullable String labels, @Nullable String cursor,
			List<SandboxInfo> found) {
		int want = (filter.limit() != null) ? Math.min(MAX_PAGE, filter.limit() - found.size()) : MAX_PAGE;
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.apiUrl)
			.path("/sandbox")
			.queryParam("limit", want);
		if (cursor != null) {
			builder.queryParam("cursor", "{cursor}");
		}
		if (labels != null) {
			builder.queryParam("labels", "{labels}");
		}
		URI uri = builder.encode().buildAndExpand(variables(cursor, labels)).toUri();
		return call(HttpMethod.GET, uri, "listSandboxes").json(ApiJson.SandboxPage.class).flatMap((page) -> {
			List<ApiJson.Sandbox> items = (page.items() != null) ? page.items() : List.of();
			for (ApiJson.Sandbox item : items) {
				SandboxInfo info = SandboxStates.info(item);
				if (filter.matches(info.metadata()) && !full(filter, found)) {
					found.add(info);
				}
			}
			String next = page.nextCursor();
			if (full(filter, found) || next == null || next.isBlank() || items.isEmpty()) {
				return Mono.just(List.copyOf(found));
			}
			return page(filter, labels, next, found);
		});
	}

	private static boolean full(ListSandboxesFilter filter, List<SandboxInfo> found) {
		return filter.limit() != null && found.size() >= filter.limit();
	}

	private static java.util.Map<String, String> variables(@Nullable String cursor, @Nullable String labels) {
		java.util.Map<String, String> variables = new java.util.HashMap<>();
		if (cursor != null) {
			variables.put("cursor", cursor);
		}
		if (labels != null) {
			variables.put("labels", labels);
		}
		return variables;
	}

	/**
	 * Polls {@code GET /sandbox/{id}} until its state is one of {@code wanted}, backing off from 100 ms to 1 s. An
	 * {@code error} or {@code build_failed} state is a {@link ProviderException} with the API's
	 * {@code errorReason}; not reaching the state within {@code within} is a {@link ProviderTimeoutException}.
	 */
	Mono<ApiJson.Sandbox> awaitState(ApiJson.Sandbox current, Set<String> wanted, Duration within, String operation) {
		long deadline = System.nanoTime() + within.toNanos();
		return await(current, wanted, deadline, within, FIRST_POLL, operation);
	}

	private Mono<ApiJson.Sandbox> await(ApiJson.Sandbox current, Set<String> wanted, long deadline, Duration within,
			Duration pause, String operation) {
		String state = (current.state() != null) ? current.state().toLowerCase(Locale.ROOT) : "";
		if (wanted.contains(state)) {
			return Mono.just(current);
		}
		if (FAILED.contains(state)) {
			return Mono.error(new ProviderException(DaytonaSettings.PROVIDER,
					DaytonaSettings.PROVIDER + " " + operation + ": sandbox " + current.id() + " is in state " + state
							+ ((current.errorReason() != null) ? " (" + this.http.redactor().redact(current.errorReason())
									+ ")" : ""),
					null, state, null));
		}
		if (System.nanoTime() - deadline > 0) {
			return Mono.error(new ProviderTimeoutException(DaytonaSettings.PROVIDER,
					DaytonaSettings.PROVIDER + " " + operation + ": sandbox " + current.id() + " did not reach "
							+ wanted + " within " + within.toSeconds() + " s (state " + state + ")",
					null));
		}
		Duration next = Duration.ofMillis(Math.min(LAST_POLL.toMillis(), pause.toMillis() * 3 / 2));
		return Mono.delay(pause)
			.then(get(current.id(), operation))
			.flatMap((sandbox) -> await(sandbox, wanted, deadline, within, next, operation));
	}

	private URI uri(String path, Object... variables) {
		return UriComponentsBuilder.fromUri(this.apiUrl).path(path).encode().buildAndExpand(variables).toUri();
	}

	private HttpCall call(HttpMethod method, URI uri, String operation) {
		return this.credentials.apply(this.http.call(method, uri).operation(operation));
	}

	@Override
	public String toString() {
		return "DaytonaApi[" + this.apiUrl + "]";
	}

}
