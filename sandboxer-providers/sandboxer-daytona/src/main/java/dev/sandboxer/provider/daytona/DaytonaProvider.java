package dev.sandboxer.provider.daytona;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.Redactor;
import dev.sandboxer.http.VendorErrors;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Daytona as a {@link SandboxProvider}: one pooled HTTP client for the API and every sandbox's toolbox.
 * <p>
 * Create sends the template as the {@code snapshot}, the metadata as {@code labels} (never as environment
 * variables), the environment variables as {@code env}, the CPUs, the memory in whole GB (rounded up), the region
 * ({@code target}), the lifetime as auto-stop and auto-delete intervals (see {@link DaytonaSandbox}) and the options
 * of {@link CreateOptions}; then it waits until the sandbox has started, as the official SDK does. A sandbox that
 * fails to start, or does not start in time, is deleted before the failure is reported, so that none is left
 * behind. Without a timeout, Daytona's defaults apply (auto-stop after 15 idle minutes, no auto-delete).
 * <p>
 * Every port of a sandbox has a preview URL, so requested ports need no setup.
 */
final class DaytonaProvider implements SandboxProvider {

	/** How long a create, pause or resume may take to reach its state, at least; the SDK waits 60 s. */
	static final Duration STATE_WAIT = Duration.ofSeconds(60);

	private final DaytonaSettings settings;

	private final VendorHttpClient http;

	private final Credentials credentials;

	private final DaytonaApi api;

	private final Duration stateWait;

	private final ToolboxPtys.Connections ptyConnections = new ToolboxPtys.Connections();

	DaytonaProvider(DaytonaSettings settings, String apiKey, ProviderConfig config) {
		this.settings = settings;
		Redactor redactor = new Redactor();
		redactor.addSecret(apiKey);
		JsonCodec json = new JsonCodec();
		// The API's error body has "message" and "error" (the reason phrase); the toolbox's has "message" and
		// "code". The SDK reads code, error_code, then error, and so does this.
		this.http = VendorHttpClient.builder(DaytonaSettings.PROVIDER, config)
			.json(json)
			.redactor(redactor)
			.vendorErrors(VendorErrors.json(json, "code", "error_code", "error"))
			.build();
		this.credentials = new Credentials(apiKey, settings.organizationId());
		this.api = new DaytonaApi(this.http, settings.apiUrl(), this.credentials);
		this.stateWait = (settings.defaultTimeout().compareTo(STATE_WAIT) > 0) ? settings.defaultTimeout()
				: STATE_WAIT;
	}

	@Override
	public ProviderName name() {
		return DaytonaSettings.NAME;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		ApiJson.CreateSandbox body;
		try {
			body = body(request);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.api.create(body)
			.flatMap((created) -> this.api.awaitState(created, Set.of("started"), this.stateWait, "createSandbox")
				.onErrorResume((error) -> this.api.delete(created.id(), "createSandbox")
					.onErrorResume((ignored) -> Mono.empty())
					.then(Mono.error(error))))
			.map((started) -> (ProviderSandbox) handle(started))
			.toFuture();
	}

	private ApiJson.CreateSandbox body(CreateSandboxRequest request) {
		CreateOptions options = CreateOptions.from(request.options());
		Integer minutes = (request.timeout() != null) ? (int) Lifetimes.minutes(request.timeout()) : null;
		Integer memoryGb = (request.memoryMb() != null) ? (int) ((request.memoryMb() + 1023L) / 1024) : null;
		return new ApiJson.CreateSandbox(options.name(), request.template(), options.user(), nullIfEmpty(request.envs()),
				nullIfEmpty(request.metadata()), options.isPublic(), options.networkBlockAll(),
				options.networkAllowList(), options.domainAllowList(), this.settings.target(), request.cpus(),
				options.gpu(), memoryGb, options.diskGb(), minutes, options.autoArchiveInterval(), minutes);
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.api.get(sandboxId, "attachSandbox").map((sandbox) -> (ProviderSandbox) handle(sandbox)).toFuture();
	}

	/** Pages through every sandbox; the metadata filter is applied by the server ({@code labels}). */
	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return this.api.list(filter).toFuture();
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.api.delete(sandboxId, "killSandbox").toFuture();
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.api.ping().then(Mono.fromSupplier(() -> Map.of("apiUrl", this.settings.apiUrl().toString())))
			.toFuture();
	}

	@Override
	public void close() {
		this.ptyConnections.closeAll();
		this.http.close();
	}

	private DaytonaSandbox handle(ApiJson.Sandbox sandbox) {
		Toolbox toolbox = new Toolbox(this.http, this.credentials,
				ToolboxAddress.of(this.settings, this.api, sandbox.id(), sandbox.toolboxProxyUrl()));
		OtherUsers users = new OtherUsers(toolbox, this.settings.defaultTimeout());
		return new DaytonaSandbox(SandboxStates.info(sandbox), this.api, toolbox, this.settings.defaultTimeout(),
				this.stateWait, users, new ToolboxPtys(sandbox.id(), toolbox, this.ptyConnections, users));
	}

	private static @Nullable Map<String, String> nullIfEmpty(Map<String, String> map) {
		return map.isEmpty() ? null : map;
	}

	@Override
	public String toString() {
		return "DaytonaProvider[apiUrl=" + this.settings.apiUrl() + ", target=" + this.settings.target() + "]";
	}

}
