package dev.sandboxer.provider.daytona;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Finds a sandbox's toolbox base URL, in this order:
 * <ol>
 * <li>{@code toolbox-base-url} when configured (self-hosted proxies, test servers): {@code {that}/{id}};</li>
 * <li>the {@code toolboxProxyUrl} of the sandbox as the API described it (create, get, list):
 * {@code {toolboxProxyUrl}/{id}}, as the official SDK does;</li>
 * <li>{@code GET /sandbox/{id}/toolbox-proxy-url}, when the description had none;</li>
 * <li>the deprecated {@code {apiUrl}/toolbox/{id}/toolbox} route, only for an API too old to have the above.</li>
 * </ol>
 * The answer is looked up at most once per sandbox handle.
 */
final class ToolboxAddress {

	private ToolboxAddress() {
	}

	static Mono<URI> of(DaytonaSettings settings, DaytonaApi api, String sandboxId, @Nullable String toolboxProxyUrl) {
		if (settings.toolboxBaseUrl() != null) {
			return Mono.just(under(settings.toolboxBaseUrl().toString(), sandboxId));
		}
		if (toolboxProxyUrl != null && !toolboxProxyUrl.isBlank()) {
			return Mono.just(under(toolboxProxyUrl, sandboxId));
		}
		return api.toolboxProxyUrl(sandboxId)
			.map((url) -> under(url, sandboxId))
			.switchIfEmpty(Mono.fromSupplier(() -> UriComponentsBuilder.fromUri(api.apiUrl())
				.path("/toolbox/{id}/toolbox")
				.encode()
				.buildAndExpand(sandboxId)
				.toUri()))
			// A failed look-up is tried again by the next call; a found address is kept.
			.cache((url) -> java.time.Duration.ofDays(3650), (error) -> java.time.Duration.ZERO,
					() -> java.time.Duration.ZERO);
	}

	private static URI under(String base, String sandboxId) {
		String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		return UriComponentsBuilder.fromUriString(trimmed).path("/{id}").encode().buildAndExpand(sandboxId).toUri();
	}

}
