package dev.sandboxer.provider.runloop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.Redactor;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.SandboxStatus;
import dev.sandboxer.provider.runloop.RunloopJson.CreateDevbox;
import dev.sandboxer.provider.runloop.RunloopJson.DevboxView;
import dev.sandboxer.provider.runloop.RunloopJson.LaunchParameters;
import dev.sandboxer.provider.runloop.RunloopJson.TunnelRequest;
import dev.sandboxer.spi.CommandOutputCollector;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Runloop as a {@link SandboxProvider}: one pooled HTTP client for every devbox.
 * <p>
 * Create sends the blueprint name (the request's template, else the {@code blueprint} setting, else Runloop's default
 * image), the metadata, the environment variables, the lifetime as {@code keep_alive_time_seconds} (so Runloop ends
 * the devbox even if this JVM is gone; at most 48 h) and a custom size for {@code cpus}/{@code memoryMb}; requested
 * ports ask for an open tunnel. It then long-polls {@code wait_for_status} until the devbox is {@code running}, for at
 * most the {@code start-timeout}: a devbox that fails or is shut down while booting is a {@link ProviderException},
 * one still booting at the deadline is shut down and a {@link ProviderTimeoutException}, so none is left behind.
 * <p>
 * {@code listSandboxes} pages with {@code limit}/{@code starting_after}; Runloop cannot filter by metadata, so the
 * filter is applied here, page by page. {@code killSandbox} is {@code shutdown}: the devbox stays readable, as
 * stopped.
 */
final class RunloopProvider implements SandboxProvider {

	/** Runloop's longest keep-alive time (48 h). */
	static final long MAX_LIFETIME_SECONDS = 172_800;

	static final List<String> BOOTED = List.of("running", "failure", "shutdown");

	private final RunloopSettings settings;

	private final VendorHttpClient http;

	private final Devboxes devboxes;

	private final Executions executions;

	private final String apiKey;

	RunloopProvider(RunloopSettings settings, String apiKey, ProviderConfig config) {
		this.settings = settings;
		this.apiKey = apiKey;
		Redactor redactor = new Redactor();
		redactor.addSecret(apiKey);
		JsonCodec json = new JsonCodec();
		this.http = VendorHttpClient.builder(RunloopSettings.PROVIDER, config)
			.json(json)
			.redactor(redactor)
			.vendorErrors(new RunloopErrors(json))
			.build();
		this.devboxes = new Devboxes(this.http, settings.baseUrl(), apiKey);
		this.executions = new Executions(this.http, settings.baseUrl(), apiKey);
	}

	@Override
	public ProviderName name() {
		return RunloopProviderFactory.NAME;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		CreateDevbox body;
		String template = (request.template() != null) ? request.template() : this.settings.blueprint();
		try {
			body = createBody(request, template);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		Instant deadline = Instant.now().plus(this.settings.startTimeout());
		return this.devboxes.create(body)
			.flatMap((created) -> "running".equals(created.status()) ? Mono.just(created)
					: this.devboxes.waitForStatus(created.id(), BOOTED, deadline, "createSandbox")
						.onErrorResume(ProviderTimeoutException.class, (timeout) -> this.devboxes
							.shutdown(created.id(), "createSandbox")
							.onErrorResume(SandboxerException.class, (ignored) -> Mono.empty())
							.then(Mono.error(timeout))))
			.flatMap((view) -> "running".equals(view.status()) ? Mono.just(view) : Mono.error(bootFailure(view)))
			.map((view) -> (ProviderSandbox) handle(Devboxes.info(view, template)))
			.toFuture();
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.devboxes.get(sandboxId, "attachSandbox")
			.map((view) -> (ProviderSandbox) handle(Devboxes.info(view, null)))
			.toFuture();
	}

	/** Pages through every devbox; the metadata filter is applied here, since Runloop's list has none. */
	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return listFrom(filter, null, new ArrayList<>()).toFuture();
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.devboxes.shutdown(sandboxId, "killSandbox").toFuture();
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.devboxes.ping()
			.then(Mono.fromSupplier(() -> Map.of("baseUrl", this.settings.baseUrl().toString())))
			.toFuture();
	}

	@Override
	public boolean isEventLoopThread(Thread thread) {
		return VendorHttpClient.isEventLoopThread(thread);
	}

	@Override
	public void close() {
		this.http.close();
	}

	private Mono<List<SandboxInfo>> listFrom(ListSandboxesFilter filter, @Nullable String after,
			List<SandboxInfo> found) {
		Integer limit = filter.limit();
		// With a metadata filter a page may match little, so pages stay full-sized; without one, ask for what is left.
		int pageSize = (limit != null && filter.metadata().isEmpty())
				? Math.min(Devboxes.MAX_PAGE, limit - found.size()) : Devboxes.MAX_PAGE;
		return this.devboxes.page(pageSize, after, "listSandboxes").flatMap((page) -> {
			List<DevboxView> rows = (page.devboxes() != null) ? page.devboxes() : List.of();
			for (DevboxView row : rows) {
				SandboxInfo info = Devboxes.info(row, null);
				if (filter.matches(info.metadata()) && (limit == null || found.size() < limit)) {
					found.add(info);
				}
			}
			boolean more = !Boolean.FALSE.equals(page.hasMore()) && !rows.isEmpty()
					&& (limit == null || found.size() < limit);
			return more ? listFrom(filter, rows.get(rows.size() - 1).id(), found) : Mono.just(found);
		});
	}

	private CreateDevbox createBody(CreateSandboxRequest request, @Nullable String template) {
		if (!request.options().isEmpty()) {
			throw new NotSupportedException(RunloopSettings.PROVIDER, "create options " + request.options().keySet(),
					"the Runloop provider takes no create options");
		}
		Long lifetime = null;
		if (request.timeout() != null) {
			Duration timeout = request.timeout();
			long seconds = DevboxLifetime.seconds(timeout);
			if (seconds > MAX_LIFETIME_SECONDS) {
				throw new NotSupportedException(RunloopSettings.PROVIDER, "a timeout of " + seconds + " s",
						"Runloop keeps a devbox alive for at most 48 h (172800 s) without a keep-alive");
			}
			lifetime = seconds;
		}
		LaunchParameters launch = null;
		if (lifetime != null || request.cpus() != null || request.memoryMb() != null) {
			int[] size = null;
			if (request.cpus() != null || request.memoryMb() != null) {
				try {
					size = ResourceSizes.custom(request.cpus(), request.memoryMb());
				}
				catch (IllegalArgumentException ex) {
					throw new NotSupportedException(RunloopSettings.PROVIDER, "cpus and memoryMb", ex.getMessage());
				}
			}
			launch = new LaunchParameters(lifetime, (size != null) ? ResourceSizes.CUSTOM : null,
					(size != null) ? size[0] : null, (size != null) ? size[1] : null);
		}
		return new CreateDevbox(template, null, null, null, nullIfEmpty(request.metadata()),
				nullIfEmpty(request.envs()), launch, request.ports().isEmpty() ? null : new TunnelRequest("open"));
	}

	private static ProviderException bootFailure(DevboxView view) {
		String reason = (view.failureReason() != null) ? view.failureReason() : view.shutdownReason();
		return new ProviderException(RunloopSettings.PROVIDER,
				"runloop createSandbox failed: devbox " + view.id() + " went to '" + view.status() + "' while booting"
						+ ((reason != null) ? " (" + reason + ")" : ""),
				null, reason, null);
	}

	private RunloopSandbox handle(SandboxInfo info) {
		DevboxFiles files = new DevboxFiles(this.http, this.settings.baseUrl(), this.apiKey, info.id(),
				(line, operation) -> this.executions.run(info.id(), line, null,
						new CommandOutputCollector(CommandOutputListener.NONE), operation));
		return new RunloopSandbox(info, this.devboxes, this.executions, files, this.settings.tunnelDomain());
	}

	private static @Nullable Map<String, String> nullIfEmpty(Map<String, String> map) {
		return map.isEmpty() ? null : map;
	}

	@Override
	public String toString() {
		return "RunloopProvider[baseUrl=" + this.settings.baseUrl() + "]";
	}

}
