package dev.sandboxer.provider.e2b;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's JSON, as {@code spec/openapi.yml} names it (schemas {@code NewSandbox}, {@code Sandbox},
 * {@code SandboxDetail}, {@code ListedSandbox}, {@code ConnectSandbox}, {@code SandboxPauseRequest},
 * {@code SandboxTimeoutRequest}). Absent optional fields are {@code null} and left out of requests.
 */
final class ControlPlaneJson {

	private ControlPlaneJson() {
	}

	/** {@code POST /sandboxes}. {@code timeout} is the lifetime in seconds. */
	record NewSandbox(String templateID, int timeout, @Nullable Boolean autoPause, @Nullable Boolean autoPauseMemory,
			@Nullable AutoResume autoResume, @Nullable Boolean secure,
			@JsonProperty("allow_internet_access") @Nullable Boolean allowInternetAccess,
			@Nullable Map<String, String> metadata, @Nullable Map<String, String> envVars) {
	}

	/** {@code SandboxAutoResumeConfig}. */
	record AutoResume(boolean enabled) {
	}

	/** {@code Sandbox}: the answer to create and connect. {@code domain} is where the sandbox's traffic goes. */
	record CreatedSandbox(String sandboxID, String templateID, @Nullable String alias, @Nullable String clientID,
			@Nullable String envdVersion, @Nullable String envdAccessToken, @Nullable String trafficAccessToken,
			@Nullable String domain) {

		/** Never shows the tokens. */
		@Override
		public String toString() {
			return "CreatedSandbox[sandboxID=" + this.sandboxID + ", templateID=" + this.templateID + ", envdVersion="
					+ this.envdVersion + ", envdAccessToken=" + masked(this.envdAccessToken) + ", trafficAccessToken="
					+ masked(this.trafficAccessToken) + ", domain=" + this.domain + "]";
		}

	}

	/** {@code SandboxDetail}: {@code GET /sandboxes/{sandboxID}}. Times are RFC 3339. */
	record SandboxDetail(String sandboxID, String templateID, @Nullable String alias, @Nullable String clientID,
			@Nullable String startedAt, @Nullable String endAt, @Nullable String envdVersion,
			@Nullable String envdAccessToken, @Nullable String domain, @Nullable Integer cpuCount,
			@Nullable Integer memoryMB, @Nullable Integer diskSizeMB, @Nullable Map<String, String> metadata,
			@Nullable String state) {

		/** Never shows the token. */
		@Override
		public String toString() {
			return "SandboxDetail[sandboxID=" + this.sandboxID + ", templateID=" + this.templateID + ", state="
					+ this.state + ", envdVersion=" + this.envdVersion + ", envdAccessToken="
					+ masked(this.envdAccessToken) + ", domain=" + this.domain + "]";
		}

	}

	/** {@code ListedSandbox}: one row of {@code GET /v2/sandboxes}. */
	record ListedSandbox(String sandboxID, String templateID, @Nullable String alias, @Nullable String clientID,
			@Nullable String startedAt, @Nullable String endAt, @Nullable Integer cpuCount, @Nullable Integer memoryMB,
			@Nullable Integer diskSizeMB, @Nullable Map<String, String> metadata, @Nullable String state,
			@Nullable String envdVersion) {
	}

	/** {@code ConnectSandbox}: resumes a paused sandbox; {@code timeout} only ever extends its lifetime. */
	record ConnectSandbox(int timeout) {
	}

	/** {@code SandboxTimeoutRequest}: the sandbox expires {@code timeout} seconds after the request arrives. */
	record TimeoutRequest(int timeout) {
	}

	/** {@code SandboxPauseRequest}: {@code memory} keeps the memory snapshot (the API's default). */
	record PauseRequest(boolean memory) {
	}

	private static String masked(@Nullable String token) {
		return (token != null) ? "****" : "none";
	}

}
