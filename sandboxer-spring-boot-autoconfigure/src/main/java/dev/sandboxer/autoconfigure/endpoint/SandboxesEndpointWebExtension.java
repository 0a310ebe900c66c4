package dev.sandboxer.autoconfigure.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.KilledSandboxDescriptor;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.Result;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxLookup;
import dev.sandboxer.autoconfigure.endpoint.SandboxesEndpoint.SandboxesDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link SandboxesEndpoint} over HTTP: each {@link Result} becomes a status, so that a script can rely on it
 * ({@code 404} for an unknown sandbox on {@code GET} and {@code DELETE} alike, {@code 404} for an unknown provider,
 * {@code 403} for a sandbox this application did not create, {@code 504} when the provider does not answer in time),
 * and every refusal carries its {@code reason}.
 */
@EndpointWebExtension(endpoint = SandboxesEndpoint.class)
public class SandboxesEndpointWebExtension {

	private final SandboxesEndpoint delegate;

	public SandboxesEndpointWebExtension(SandboxesEndpoint delegate) {
		this.delegate = delegate;
	}

	@ReadOperation
	public SandboxesDescriptor sandboxes(@Nullable Boolean all) {
		return this.delegate.sandboxes(all);
	}

	@ReadOperation
	public WebEndpointResponse<Object> sandbox(@Selector String provider, @Selector String id) {
		SandboxLookup lookup = this.delegate.sandbox(provider, id);
		if (lookup.result() == Result.FOUND && lookup.sandbox() != null) {
			return new WebEndpointResponse<>(lookup.sandbox(), WebEndpointResponse.STATUS_OK);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("provider", provider);
		body.put("id", id);
		body.put("result", lookup.result().value());
		body.put("reason", lookup.reason());
		return new WebEndpointResponse<>(body, status(lookup.result()));
	}

	@DeleteOperation
	public WebEndpointResponse<KilledSandboxDescriptor> kill(@Selector String provider, @Selector String id,
			@Nullable Boolean force) {
		KilledSandboxDescriptor killed = this.delegate.kill(provider, id, force);
		return new WebEndpointResponse<>(killed, status(killed.outcome()));
	}

	static int status(Result result) {
		return switch (result) {
			case FOUND, KILLED -> WebEndpointResponse.STATUS_OK;
			case NOT_FOUND, UNKNOWN_PROVIDER -> WebEndpointResponse.STATUS_NOT_FOUND;
			case NOT_CREATED_HERE -> 403;
			case TIMEOUT -> 504;
			case FAILED -> 502;
		};
	}

}
