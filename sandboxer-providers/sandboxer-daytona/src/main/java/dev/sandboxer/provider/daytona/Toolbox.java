package dev.sandboxer.provider.daytona;

import java.net.URI;
import java.util.Map;

import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Where one sandbox's toolbox answers, and calls to it with the Daytona credentials. The base is
 * {@code {toolboxProxyUrl}/{sandboxId}} as the official SDK builds it ({@code Sandbox.ts}), with the proxy URL the API
 * gives each sandbox; see {@link ToolboxAddress} for how it is found.
 */
final class Toolbox {

	private final VendorHttpClient http;

	private final Credentials credentials;

	private final Mono<URI> base;

	Toolbox(VendorHttpClient http, Credentials credentials, Mono<URI> base) {
		this.http = http;
		this.credentials = credentials;
		this.base = base;
	}

	VendorHttpClient http() {
		return this.http;
	}

	Credentials credentials() {
		return this.credentials;
	}

	/** A call to {@code path} (with {@code {name}} variables, each encoded as one segment) and query values. */
	Mono<HttpCall> call(HttpMethod method, String operation, String path, Map<String, ?> query,
			Object... pathVariables) {
		return uri(path, query, pathVariables).map((uri) -> this.credentials
			.apply(this.http.call(method, uri).operation(operation)));
	}

	Mono<URI> uri(String path, Map<String, ?> query, Object... pathVariables) {
		return this.base.map((base) -> {
			UriComponentsBuilder builder = UriComponentsBuilder.fromUri(base).path(path);
			Map<String, Object> variables = new java.util.HashMap<>();
			for (int i = 0; i < pathVariables.length; i++) {
				variables.put("p" + i, pathVariables[i]);
			}
			for (Map.Entry<String, ?> entry : query.entrySet()) {
				builder.queryParam(entry.getKey(), "{q_" + entry.getKey() + "}");
				variables.put("q_" + entry.getKey(), entry.getValue());
			}
			return builder.encode().buildAndExpand(variables).toUri();
		});
	}

	@Override
	public String toString() {
		return "Toolbox[" + this.http + "]";
	}

}
