package dev.sandboxer.provider.e2b;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.ConnectClient;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.VendorHttpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The way to one sandbox's envd: its address, its access token ({@code X-Access-Token}, present when the sandbox
 * was created {@code secure}), the routing headers of E2B's sandbox proxy, and the user a call runs as (HTTP Basic
 * with an empty password for RPCs, the {@code username} query parameter for {@code /files}).
 */
final class Envd {

	static final String SANDBOX_ID_HEADER = "E2b-Sandbox-Id";

	static final String SANDBOX_PORT_HEADER = "E2b-Sandbox-Port";

	static final String ACCESS_TOKEN_HEADER = "X-Access-Token";

	/** Asks envd for a keepalive event every so many seconds on a quiet stream (see envd's permissions package). */
	static final String KEEPALIVE_HEADER = "Keepalive-Ping-Interval";

	/** The code of the error for a call to a paused sandbox. */
	static final String SANDBOX_PAUSED = "sandbox_paused";

	/** The user envd needs named before {@link EnvdVersion#DEFAULT_USER}. */
	static final String LEGACY_DEFAULT_USER = "user";

	private final VendorHttpClient http;

	private final ConnectClient connect;

	private final EnvdAddress address;

	private final @Nullable String accessToken;

	private final @Nullable EnvdVersion version;

	Envd(VendorHttpClient http, ConnectClient connect, EnvdAddress address, @Nullable String accessToken,
			@Nullable EnvdVersion version) {
		this.http = http;
		this.connect = connect;
		this.address = address;
		this.accessToken = (accessToken != null && !accessToken.isBlank()) ? accessToken : null;
		this.version = version;
		// Masked while this handle lives, then forgotten: a client that attaches per request must not grow the set.
		http.redactor().addSecret(this, this.accessToken);
	}

	EnvdAddress address() {
		return this.address;
	}

	/** A unary Connect call on {@code /package.Service/Method}. */
	<T> Mono<T> unary(String procedure, String operation, @Nullable String user, Object request, Class<T> type,
			boolean safeToRepeat) {
		HttpCall call = rpc(procedure, operation, user);
		if (safeToRepeat) {
			call.safeToRepeat();
		}
		return this.connect.unary(call, request, type);
	}

	/** A server-streaming Connect call; the caller sets the call's timeout and deadline. */
	<T> Flux<T> stream(HttpCall call, Object request, Class<T> type) {
		return this.connect.serverStream(call, request, type);
	}

	/** A POST to an RPC, with the routing, access and user headers set. */
	HttpCall rpc(String procedure, String operation, @Nullable String user) {
		HttpCall call = prepared(this.http.post(this.address.resolve("/" + procedure)), operation);
		String effectiveUser = effectiveUser(user);
		if (effectiveUser != null) {
			String credentials = effectiveUser + ":";
			call.header(HttpHeaders.AUTHORIZATION,
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return call;
	}

	/** A call on {@code /files} with the {@code path} and {@code username} query parameters the spec defines. */
	HttpCall files(HttpMethod method, String path, @Nullable String user, String operation) {
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.address.resolve("/files"))
			.queryParam("path", "{path}");
		String effectiveUser = effectiveUser(user);
		if (effectiveUser != null) {
			builder.queryParam("username", "{username}");
		}
		URI uri = (effectiveUser != null) ? builder.encode().buildAndExpand(path, effectiveUser).toUri()
				: builder.encode().buildAndExpand(path).toUri();
		return prepared(this.http.call(method, uri), operation);
	}

	/** How often envd should send keepalives on a stream allowed this much silence. */
	static String keepaliveSeconds(Duration allowedSilence) {
		return Long.toString(Math.max(1, allowedSilence.toSeconds() / 3));
	}

	private HttpCall prepared(HttpCall call, String operation) {
		call.operation(operation)
			.header(SANDBOX_ID_HEADER, this.address.sandboxId())
			.header(SANDBOX_PORT_HEADER, Integer.toString(this.address.port()))
			.errorReader(this::sandboxGone);
		if (this.accessToken != null) {
			// Registered with the redactor for this handle's life (constructor), not for the client's.
			call.header(ACCESS_TOKEN_HEADER, this.accessToken);
		}
		return call;
	}

	private @Nullable String effectiveUser(@Nullable String user) {
		if (user != null && !user.isBlank()) {
			return user;
		}
		return (this.version != null && this.version.isBefore(EnvdVersion.DEFAULT_USER)) ? LEGACY_DEFAULT_USER : null;
	}

	/**
	 * E2B's sandbox proxy answers for the sandbox itself with its own JSON ({@code sandboxId}, {@code message}): for
	 * one that is gone 404 today, 502 in older deployments; for one that is paused 409 with "The sandbox is paused"
	 * (e2b-dev/infra, {@code packages/shared/pkg/proxy/template}).
	 */
	private @Nullable SandboxerException sandboxGone(String operation, int status, HttpHeaders headers, byte[] body) {
		if ((status != 404 && status != 502 && status != 409) || body.length == 0) {
			return null;
		}
		JsonNode node = proxyAnswer(this.http.json(), body);
		if (node == null || !node.hasNonNull("sandboxId")) {
			return null;
		}
		String message = node.hasNonNull("message") ? node.get("message").asString() : "not found";
		String said = this.http.redactor().redact(message);
		if (status == 409 || message.toLowerCase(java.util.Locale.ROOT).contains("paused")) {
			return new ProviderException(E2bSettings.PROVIDER, "e2b " + operation + " failed: sandbox "
					+ this.address.sandboxId() + " is paused: resume() it first (or create it with the autoResume "
					+ "option): HTTP " + status + ": " + said, status, SANDBOX_PAUSED, null);
		}
		return new SandboxGoneException("e2b " + operation + " failed: sandbox " + this.address.sandboxId()
				+ " is gone (killed, expired or never created): HTTP " + status + ": " + said);
	}

	private static @Nullable JsonNode proxyAnswer(JsonCodec json, byte[] body) {
		try {
			JsonNode node = json.read(body, JsonNode.class);
			return node.isObject() ? node : null;
		}
		catch (JsonCodec.MalformedJsonException ex) {
			return null;
		}
	}

}
