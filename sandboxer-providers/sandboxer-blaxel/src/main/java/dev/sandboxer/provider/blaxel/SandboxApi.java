package dev.sandboxer.provider.blaxel;

import java.net.URI;
import java.time.Duration;

import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;

import org.springframework.http.HttpMethod;

/**
 * One sandbox's sandbox-api, at the {@code metadata.url} the control plane gave for it, with the same headers as
 * the control plane. Any call wakes a sandbox from standby.
 */
final class SandboxApi {

	private final VendorHttpClient http;

	private final String baseUrl;

	private final BlaxelAuth auth;

	SandboxApi(VendorHttpClient http, String baseUrl, BlaxelAuth auth) {
		this.http = http;
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.auth = auth;
	}

	HttpCall call(HttpMethod method, String pathAndQuery, String operation) {
		return this.auth.apply(this.http.call(method, uri(pathAndQuery)).operation(operation));
	}

	URI uri(String pathAndQuery) {
		return URI.create(this.baseUrl + pathAndQuery);
	}

	BlaxelAuth auth() {
		return this.auth;
	}

	/** A file path in the URL: the whole path as one segment, so an absolute path stays absolute. */
	HttpCall file(HttpMethod method, String path, String query, String operation) {
		return call(method, "/filesystem/" + PathSegment.encode(path) + query, operation);
	}

	VendorHttpClient http() {
		return this.http;
	}

	Duration defaultTimeout() {
		return this.http.defaultTimeout();
	}

	String baseUrl() {
		return this.baseUrl;
	}

}
