package dev.sandboxer.provider.daytona;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.http.HttpCall;
import org.jspecify.annotations.Nullable;

/**
 * The headers every Daytona call carries, to the API and to the toolbox alike, as the official SDK sends them: the
 * bearer credential, the organization when one is configured, and where the call comes from. No
 * {@code X-Daytona-SDK-Version}: the toolbox changes its answers by that version, and this client asks for the shape
 * it wants explicitly instead of posing as an SDK release.
 */
final class Credentials {

	static final String ORGANIZATION_HEADER = "X-Daytona-Organization-ID";

	static final String SOURCE_HEADER = "X-Daytona-Source";

	static final String SOURCE = "sandboxer-java";

	private final String bearer;

	private final @Nullable String organizationId;

	Credentials(String apiKey, @Nullable String organizationId) {
		this.bearer = "Bearer " + apiKey;
		this.organizationId = organizationId;
	}

	HttpCall apply(HttpCall call) {
		call.secretHeader("Authorization", this.bearer).header(SOURCE_HEADER, SOURCE);
		if (this.organizationId != null) {
			call.header(ORGANIZATION_HEADER, this.organizationId);
		}
		return call;
	}

	/** The same headers for a WebSocket upgrade; the provider's redactor already knows the key. */
	Map<String, String> headers() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", this.bearer);
		headers.put(SOURCE_HEADER, SOURCE);
		if (this.organizationId != null) {
			headers.put(ORGANIZATION_HEADER, this.organizationId);
		}
		return headers;
	}

	@Override
	public String toString() {
		return "Credentials[organizationId=" + this.organizationId + "]";
	}

}
