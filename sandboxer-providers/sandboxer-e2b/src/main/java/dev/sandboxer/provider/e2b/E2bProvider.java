package dev.sandboxer.provider.e2b;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.ConnectClient;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.Redactor;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.e2b.ControlPlaneJson.NewSandbox;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * E2B as a {@link SandboxProvider}: one pooled HTTP client for the control plane and every sandbox's envd.
 * <p>
 * Create sends the template, the lifetime (the request's {@code timeout}, else 300 s as in the official SDK), the
 * metadata, the environment variables and the options of {@link CreateOptions}, and builds the sandbox's first
 * {@link SandboxInfo} from the answer without a second call, so a failing follow-up cannot orphan a new sandbox.
 * CPUs and memory are properties of an E2B template, not of a create call, so asking for them is
 * {@link NotSupportedException}. Every port of a sandbox is reachable at {@code portUrl}, so requested ports need no
 * setup.
 */
final class E2bProvider implements SandboxProvider {

	private final E2bSettings settings;

	private final VendorHttpClient http;

	private final ConnectClient connect;

	private final ControlPlane controlPlane;

	/** The background streams of every sandbox handle made here (started commands, terminals). */
	private final Disposable.Composite openStreams = Disposables.composite();

	E2bProvider(E2bSettings settings, String apiKey, ProviderConfig config) {
		this.settings = settings;
		Redactor redactor = new Redactor();
		redactor.addSecret(apiKey);
		JsonCodec json = new JsonCodec();
		this.http = VendorHttpClient.builder(E2bSettings.PROVIDER, config)
			.json(json)
			.redactor(redactor)
			.vendorErrors(new E2bErrors(json))
			.build();
		this.connect = new ConnectClient(this.http);
		this.controlPlane = new ControlPlane(this.http, settings.apiUrl(), apiKey);
	}

	@Override
	public ProviderName name() {
		return ProviderName.E2B;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		NewSandbox body;
		Duration lifetime = (request.timeout() != null) ? request.timeout() : E2bSettings.DEFAULT_SANDBOX_TIMEOUT;
		String template = (request.template() != null) ? request.template() : this.settings.template();
		try {
			if (request.cpus() != null || request.memoryMb() != null) {
				throw new NotSupportedException(E2bSettings.PROVIDER, "cpus and memoryMb at create",
						"E2B sizes a sandbox by its template; build a template with the CPUs and memory you need");
			}
			CreateOptions options = CreateOptions.from(request.options());
			body = new NewSandbox(template, ControlPlane.seconds(lifetime), options.autoPause(),
					options.autoPauseMemory(),
					(options.autoResume() != null) ? new ControlPlaneJson.AutoResume(options.autoResume()) : null,
					options.secure(), options.allowInternetAccess(), nullIfEmpty(request.metadata()),
					nullIfEmpty(request.envs()));
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.controlPlane.create(body).map((created) -> {
			Instant now = Instant.now();
			SandboxInfo info = new SandboxInfo(created.sandboxID(), ProviderName.E2B, created.templateID(),
					SandboxStatus.RUNNING, now, now.plus(lifetime), request.metadata(), null, null);
			return (ProviderSandbox) handle(info, created.domain(), created.envdAccessToken(), created.envdVersion(),
					lifetime);
		}).toFuture();
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.controlPlane.get(sandboxId, "attachSandbox")
			.map((detail) -> (ProviderSandbox) handle(this.controlPlane.info(detail), detail.domain(),
					detail.envdAccessToken(), detail.envdVersion(), E2bSettings.DEFAULT_SANDBOX_TIMEOUT))
			.toFuture();
	}

	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return this.controlPlane.list(filter).toFuture();
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.controlPlane.kill(sandboxId).toFuture();
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.controlPlane.ping()
			.then(Mono.fromSupplier(() -> Map.of("apiUrl", this.settings.apiUrl().toString(), "domain",
					this.settings.domain())))
			.toFuture();
	}

	@Override
	public boolean isEventLoopThread(Thread thread) {
		return VendorHttpClient.isEventLoopThread(thread);
	}

	@Override
	public void close() {
		this.openStreams.dispose();
		this.http.close();
	}

	private E2bSandbox handle(SandboxInfo info, @Nullable String domain, @Nullable String accessToken,
			@Nullable String envdVersion, Duration lifetime) {
		Envd envd = new Envd(this.http, this.connect, EnvdAddress.of(this.settings, info.id(), domain), accessToken,
				EnvdVersion.parse(envdVersion));
		return new E2bSandbox(info, this.controlPlane, envd, this.settings.defaultTimeout(), lifetime,
				this.openStreams);
	}

	private static @Nullable Map<String, String> nullIfEmpty(Map<String, String> map) {
		return map.isEmpty() ? null : map;
	}

	@Override
	public String toString() {
		return "E2bProvider[apiUrl=" + this.settings.apiUrl() + ", domain=" + this.settings.domain() + "]";
	}

}
