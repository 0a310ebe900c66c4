package dev.sandboxer.provider.fly;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.http.HttpCall;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.provider.fly.MachineJson.CreateLease;
import dev.sandboxer.provider.fly.MachineJson.CreateMachine;
import dev.sandboxer.provider.fly.MachineJson.ExecAnswer;
import dev.sandboxer.provider.fly.MachineJson.ExecRequest;
import dev.sandboxer.provider.fly.MachineJson.LeaseAnswer;
import dev.sandboxer.provider.fly.MachineJson.Machine;
import dev.sandboxer.provider.fly.MachineJson.MetadataValue;
import dev.sandboxer.provider.fly.MachineJson.ProcessStat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The Machines REST API of one app ({@code /v1/apps/{app}/machines...}), authenticated with
 * {@code Authorization: Bearer <token>}. Reads, waits, deletes and metadata upserts are repeated on transient
 * failures; create, start, suspend, exec and lease calls never are (a second create makes a second machine, a
 * second exec runs the command twice).
 */
final class MachinesApi {

	static final String NONCE_HEADER = "fly-machine-lease-nonce";

	static final String NEXT_CURSOR_HEADER = "fly-next-cursor";

	/** The largest page the list serves ("must be between 1 and 1000"). */
	static final int MAX_PAGE = 1000;

	/** The longest a single {@code wait} may block: the API's proxy cuts it at 60 s. */
	static final Duration MAX_WAIT = Duration.ofSeconds(60);

	/** Time for the answer to travel on top of what the machine is given to act (exec and wait timeouts). */
	static final Duration ANSWER_MARGIN = Duration.ofSeconds(15);

	private final VendorHttpClient http;

	private final URI apiUrl;

	private final String app;

	private final String authorization;

	MachinesApi(VendorHttpClient http, URI apiUrl, String app, String token) {
		this.http = http;
		this.apiUrl = apiUrl;
		this.app = app;
		// A macaroon token ("FlyV1 fm2_...") carries its own scheme; a plain API token is a bearer token.
		String trimmed = token.strip();
		this.authorization = (trimmed.startsWith("FlyV1 ") || trimmed.startsWith("Bearer ")) ? trimmed
				: "Bearer " + trimmed;
	}

	String app() {
		return this.app;
	}

	Mono<Machine> create(CreateMachine body) {
		return call(this.http.post(uri("")), "createSandbox").neverRepeat().jsonBody(body).json(Machine.class);
	}

	Mono<Machine> get(String id, String operation) {
		return call(this.http.get(uri("/{id}", id)), operation).json(Machine.class);
	}

	/** Destroys, stopping it first if it runs ({@code force=true}). */
	Mono<Void> destroy(String id, String operation) {
		URI target = UriComponentsBuilder.fromUri(uri("/{id}", id)).queryParam("force", "true").build(true).toUri();
		return call(this.http.delete(target), operation).discard();
	}

	Mono<Void> start(String id, @Nullable String nonce) {
		return withNonce(call(this.http.post(uri("/{id}/start", id)), "resume"), nonce).neverRepeat().discard();
	}

	Mono<Void> suspend(String id, @Nullable String nonce) {
		return withNonce(call(this.http.post(uri("/{id}/suspend", id)), "pause"), nonce).neverRepeat().discard();
	}

	/**
	 * Blocks (on Fly's side) until the machine is in {@code state} or {@code timeout} (at most 60 s) passes. True when
	 * it got there; false when the API gave up waiting (it answers 408 then).
	 */
	Mono<Boolean> waitFor(String id, String state, Duration timeout, String operation) {
		long seconds = Math.max(1, Math.min(timeout.toSeconds(), MAX_WAIT.toSeconds()));
		URI target = UriComponentsBuilder.fromUri(uri("/{id}/wait", id))
			.queryParam("state", state)
			.queryParam("timeout", seconds)
			.build(true)
			.toUri();
		return call(this.http.get(target), operation).timeout(Duration.ofSeconds(seconds).plus(ANSWER_MARGIN))
			.json(MachineJson.WaitAnswer.class)
			.map((answer) -> !Boolean.FALSE.equals(answer.ok()))
			.onErrorResume(ProviderException.class,
					(error) -> (error.status().orElse(0) == 408) ? Mono.just(false) : Mono.error(error));
	}

	/** Runs argv in the machine; the HTTP call waits for the command's own timeout plus a margin. */
	Mono<ExecAnswer> exec(String id, ExecRequest body, String operation) {
		Duration wait = Duration.ofSeconds(body.timeout()).plus(ANSWER_MARGIN);
		return call(this.http.post(uri("/{id}/exec", id)), operation).neverRepeat()
			.timeout(wait)
			.jsonBody(body)
			.json(ExecAnswer.class);
	}

	Mono<ProcessStat[]> processes(String id) {
		return call(this.http.get(uri("/{id}/ps", id)), "listProcesses").json(ProcessStat[].class);
	}

	/** Takes a lease of {@code ttl} seconds; the answer is its nonce. A machine leased by someone else answers 409. */
	Mono<String> acquireLease(String id, String description, int ttl, String operation) {
		return call(this.http.post(uri("/{id}/lease", id)), operation).neverRepeat()
			.jsonBody(new CreateLease(description, ttl))
			.json(LeaseAnswer.class)
			.flatMap((answer) -> {
				String nonce = answer.effectiveNonce();
				return (nonce != null && !nonce.isBlank()) ? Mono.just(nonce)
						: Mono.error(this.http.failures().malformedBody(operation, 201, "the lease has no nonce"));
			})
			.onErrorMap(ProviderException.class, (error) -> leaseHeld(error, id, operation));
	}

	Mono<Void> releaseLease(String id, String nonce, String operation) {
		this.http.redactor().addSecret(nonce);
		return call(this.http.delete(uri("/{id}/lease", id)), operation).secretHeader(NONCE_HEADER, nonce).discard();
	}

	/** Sets one key of {@code config.metadata}; setting the same value twice is harmless, so it may be repeated. */
	Mono<Void> setMetadata(String id, String key, String value, String operation) {
		return call(this.http.post(uri("/{id}/metadata/{key}", id, key)), operation).safeToRepeat()
			.jsonBody(new MetadataValue(value))
			.discard();
	}

	/** One page of machines whose metadata holds every entry of {@code metadata} (the API matches exactly). */
	Mono<HttpCall.Answer<Machine[]>> listPage(Map<String, String> metadata, int limit, @Nullable String cursor) {
		List<String> query = new ArrayList<>();
		// Sorted, so that the request is the same on every run.
		new TreeMap<>(metadata).forEach((key, value) -> query.add(param("metadata." + key, value)));
		query.add(param("limit", Integer.toString(limit)));
		if (cursor != null) {
			query.add(param("cursor", cursor));
		}
		URI target = URI.create(uri("") + "?" + String.join("&", query));
		return call(this.http.get(target), "listSandboxes").jsonAnswer(Machine[].class);
	}

	/** The cheapest authenticated call that also proves the app exists: {@code GET /v1/apps/{app}}. */
	Mono<Void> ping() {
		URI target = UriComponentsBuilder.fromUri(this.apiUrl)
			.path("/v1/apps/{app}")
			.encode()
			.buildAndExpand(this.app)
			.toUri();
		return call(this.http.get(target), "ping").discard();
	}

	private ProviderException leaseHeld(ProviderException error, String id, String operation) {
		if (error.status().orElse(0) != 409) {
			return error;
		}
		return new ProviderException(FlySettings.PROVIDER, FlySettings.PROVIDER + " " + operation + ": machine " + id
				+ " is leased by another client, which alone may change it until its lease ends ("
				+ error.getMessage() + ")", 409, error.code().orElse("lease_held"), error.retryAfter().orElse(null),
				error);
	}

	private HttpCall withNonce(HttpCall call, @Nullable String nonce) {
		if (nonce == null) {
			return call;
		}
		this.http.redactor().addSecret(nonce);
		return call.secretHeader(NONCE_HEADER, nonce);
	}

	private HttpCall call(HttpCall call, String operation) {
		return call.operation(operation).secretHeader("Authorization", this.authorization);
	}

	private URI uri(String path, Object... variables) {
		Object[] all = new Object[variables.length + 1];
		all[0] = this.app;
		System.arraycopy(variables, 0, all, 1, variables.length);
		return UriComponentsBuilder.fromUri(this.apiUrl)
			.path("/v1/apps/{app}/machines" + path)
			.encode()
			.buildAndExpand(all)
			.toUri();
	}

	private static String param(String name, String value) {
		return UriUtils.encode(name, StandardCharsets.UTF_8) + "=" + UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
