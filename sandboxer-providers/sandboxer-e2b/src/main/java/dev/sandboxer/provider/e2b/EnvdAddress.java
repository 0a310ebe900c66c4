package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where one sandbox's envd answers, by the official JS SDK's rules ({@code ConnectionConfig.getSandboxUrl}):
 * <ol>
 * <li>a configured {@code sandbox-url} ({@code E2B_SANDBOX_URL}) takes every envd call;</li>
 * <li>on E2B's own domains, the shared host {@code https://sandbox.<domain>}, which routes by the
 * {@code E2b-Sandbox-Id} and {@code E2b-Sandbox-Port} headers;</li>
 * <li>elsewhere, the sandbox's own host {@code https://<port>-<id>.<domain>}.</li>
 * </ol>
 * The domain is the one the API returned for the sandbox, else the configured one. The routing headers are sent on
 * every envd call, whichever host is used, as the SDK does.
 *
 * @param baseUrl where envd calls go
 * @param sandboxId the sandbox
 * @param port envd's port, sent in {@code E2b-Sandbox-Port}
 * @param domain the sandbox's traffic domain, for {@link #portUrl}
 */
record EnvdAddress(URI baseUrl, String sandboxId, int port, String domain) {

	/** Domains known to serve the shared sandbox host; others may not yet (the SDK's {@code supportedDomains}). */
	static final Set<String> SHARED_HOST_DOMAINS = Set.of("e2b.app", "e2b.dev", "e2b.pro", "e2b-staging.dev");

	static EnvdAddress of(E2bSettings settings, String sandboxId, @Nullable String domainFromApi) {
		String domain = (domainFromApi != null && !domainFromApi.isBlank()) ? domainFromApi : settings.domain();
		URI base;
		if (settings.sandboxUrl() != null) {
			base = settings.sandboxUrl();
		}
		else if (SHARED_HOST_DOMAINS.contains(domain)) {
			base = URI.create("https://sandbox." + domain);
		}
		else {
			base = URI.create("https://" + host(settings.envdPort(), sandboxId, domain));
		}
		return new EnvdAddress(base, sandboxId, settings.envdPort(), domain);
	}

	/** A URL on envd: {@code /files} or {@code /package.Service/Method}. */
	URI resolve(String path) {
		return UriComponentsBuilder.fromUri(this.baseUrl).path(path).build(true).toUri();
	}

	/** Where a port of the sandbox is reachable from outside: {@code https://<port>-<id>.<domain>}. */
	String portUrl(int sandboxPort) {
		return "https://" + host(sandboxPort, this.sandboxId, this.domain);
	}

	private static String host(int port, String sandboxId, String domain) {
		return port + "-" + sandboxId + "." + domain;
	}

}
