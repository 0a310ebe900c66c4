package dev.sandboxer.provider.blaxel;

import dev.sandboxer.http.HttpCall;

/**
 * The headers every Blaxel call carries, control plane and sandbox-api alike: the key as a bearer token, the
 * workspace, and the API version whose list answers are paginated ({@code Blaxel-Version: 2026-04-28}, the official
 * SDK's default). The key is registered with the redactor by {@link HttpCall#secretHeader}.
 */
final class BlaxelAuth {

	static final String WORKSPACE_HEADER = "X-Blaxel-Workspace";

	static final String VERSION_HEADER = "Blaxel-Version";

	static final String API_VERSION = "2026-04-28";

	private final String bearer;

	private final String workspace;

	BlaxelAuth(String apiKey, String workspace) {
		this.bearer = "Bearer " + apiKey;
		this.workspace = workspace;
	}

	HttpCall apply(HttpCall call) {
		return call.secretHeader("Authorization", this.bearer)
			.header(WORKSPACE_HEADER, this.workspace)
			.header(VERSION_HEADER, API_VERSION);
	}

	/** The same headers for a request that is not an {@link HttpCall} (the terminal's WebSocket upgrade). */
	void forEach(java.util.function.BiConsumer<String, String> header) {
		header.accept("Authorization", this.bearer);
		header.accept(WORKSPACE_HEADER, this.workspace);
		header.accept(VERSION_HEADER, API_VERSION);
	}

	String workspace() {
		return this.workspace;
	}

	@Override
	public String toString() {
		return "BlaxelAuth[workspace=" + this.workspace + ", key=****]";
	}

}
