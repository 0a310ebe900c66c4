package dev.sandboxer.autoconfigure.http;

import dev.sandboxer.http.VendorHttpClient;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * The {@code http.client.requests} observations of vendor calls, with tags that stay few: {@code client.name} is the
 * entry's name (E2B's sandbox hosts hold the sandbox id, so the host cannot be), {@code uri} is {@code none} (the
 * toolkit sends whole URLs, whose paths hold ids), and {@code sandboxer.operation} says what the call was
 * ({@code create}, {@code ping}, {@code process.Start}). The URL kept in traces ({@code http.url}) loses its query.
 */
public class SandboxerClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

	/** The request attribute holding the entry's name, set on every request of that entry's client. */
	public static final String ENTRY_ATTRIBUTE = SandboxerClientRequestObservationConvention.class.getName()
			+ ".entry";

	@Override
	public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
		return super.getLowCardinalityKeyValues(context)
			.and(KeyValue.of("sandboxer.operation", attribute(context, VendorHttpClient.OPERATION_ATTRIBUTE)));
	}

	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		String template = context.getUriTemplate();
		return KeyValue.of("uri", (template != null) ? template : "none");
	}

	@Override
	protected KeyValue clientName(ClientRequestObservationContext context) {
		return KeyValue.of("client.name", attribute(context, ENTRY_ATTRIBUTE));
	}

	@Override
	protected KeyValue httpUrl(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		if (request == null) {
			return KeyValue.of("http.url", "none");
		}
		String url = request.url().toString();
		int query = url.indexOf('?');
		return KeyValue.of("http.url", (query >= 0) ? url.substring(0, query) : url);
	}

	private static String attribute(ClientRequestObservationContext context, String name) {
		ClientRequest request = context.getRequest();
		return (request != null) ? request.attribute(name).map(String::valueOf).orElse("none") : "none";
	}

}
