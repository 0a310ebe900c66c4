package dev.sandboxer.provider.fly;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.Redactor;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.provider.fly.MachineJson.CreateMachine;
import dev.sandboxer.provider.fly.MachineJson.Guest;
import dev.sandboxer.provider.fly.MachineJson.Init;
import dev.sandboxer.provider.fly.MachineJson.MachineConfig;
import dev.sandboxer.provider.fly.MachineJson.Port;
import dev.sandboxer.provider.fly.MachineJson.Restart;
import dev.sandboxer.provider.fly.MachineJson.Service;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Fly Machines as a {@link SandboxProvider}: one machine per sandbox, in the configured app, over one pooled HTTP
 * client.
 * <p>
 * Create sends the image (the request's template, else the {@code image} setting), the CPUs and memory (1 and 256
 * MiB when not asked), the environment variables, the user's metadata plus this library's marker and deadline, the
 * requested ports as services of Fly's proxy, and a lifetime keeper as the main process (see {@link Lifetime}):
 * {@code auto_destroy} and {@code restart: no} make Fly destroy the machine when the keeper ends at the deadline,
 * so the create-time {@code timeout} (300 s when not given) holds with no JVM around. The image's own command does
 * not run: a sandbox is driven through commands.
 * <p>
 * {@link #listSandboxes} shows only machines this library created (the marker is a server-side metadata filter);
 * any machine of the app can still be attached by its id.
 */
final class FlyProvider implements SandboxProvider {

	private final FlySettings settings;

	private final VendorHttpClient http;

	private final MachinesApi api;

	private final Machines machines;

	private final GuestExec exec;

	FlyProvider(FlySettings settings, String token, ProviderConfig config) {
		this.settings = settings;
		Redactor redactor = new Redactor();
		redactor.addSecret(token);
		JsonCodec json = new JsonCodec();
		this.http = VendorHttpClient.builder(FlySettings.PROVIDER, config)
			.json(json)
			.redactor(redactor)
			.vendorErrors(new FlyErrors(json))
			.build();
		this.api = new MachinesApi(this.http, settings.apiUrl(), settings.app(), token);
		this.machines = new Machines(this.api, settings);
		this.exec = new GuestExec(this.api);
	}

	@Override
	public ProviderName name() {
		return FlyProviderFactory.NAME;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		String token = UUID.randomUUID().toString();
		CreateMachine body;
		try {
			body = createBody(request, token);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.machines.create(body, token).map(this::handle).toFuture();
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.machines.info(sandboxId, "attachSandbox").map(this::handle).toFuture();
	}

	/**
	 * Machines this library created in the app, filtered by metadata on Fly's side, all pages; destroyed machines are
	 * left out.
	 */
	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return this.machines.list(filter).toFuture();
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.machines.destroy(sandboxId, "killSandbox").toFuture();
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.api.ping()
			.then(Mono.fromSupplier(
					() -> Map.of("apiUrl", this.settings.apiUrl().toString(), "app", this.settings.app())))
			.toFuture();
	}

	@Override
	public void close() {
		this.http.close();
	}

	CreateMachine createBody(CreateSandboxRequest request, String requestToken) {
		if (!request.options().isEmpty()) {
			throw new BadConfigException(FlySettings.PROVIDER, "options",
					"fly-machines takes no create options, got " + request.options().keySet());
		}
		Duration timeout = (request.timeout() != null) ? request.timeout() : FlySettings.DEFAULT_SANDBOX_TIMEOUT;
		Instant deadline = Lifetime.deadline(timeout);
		Map<String, String> metadata = new LinkedHashMap<>(request.metadata());
		metadata.put(MachineStates.MANAGED, "true");
		metadata.put(MachineStates.EXPIRES_AT, Long.toString(deadline.getEpochSecond()));
		metadata.put(MachineStates.REQUEST, requestToken);
		for (String name : request.envs().keySet()) {
			ShellWords.envName(name);
		}
		String image = (request.template() != null) ? request.template() : this.settings.image();
		Guest guest = new Guest(this.settings.cpuKind(), (request.cpus() != null) ? request.cpus() : 1,
				(request.memoryMb() != null) ? request.memoryMb() : 256);
		MachineConfig config = new MachineConfig(image, request.envs().isEmpty() ? null : request.envs(), metadata,
				guest, true, new Restart("no"), new Init(Lifetime.keeperCommand(deadline)), services(request), null);
		return new CreateMachine(config, this.settings.region());
	}

	/**
	 * One proxy service per requested port: TLS and HTTP on the same external port (plain HTTP on 80), so that
	 * {@code portUrl} is an https URL. The proxy neither stops nor starts the machine: its life is the keeper's.
	 */
	private static @Nullable List<Service> services(CreateSandboxRequest request) {
		if (request.ports().isEmpty()) {
			return null;
		}
		return request.sortedPorts()
			.stream()
			.map((port) -> new Service("tcp", port,
					List.of(new Port(port, (port == 80) ? List.of("http") : List.of("tls", "http"), null)), false,
					"off"))
			.toList();
	}

	private ProviderSandbox handle(SandboxInfo info) {
		Duration timeout = this.settings.defaultTimeout();
		GuestCommands commands = new GuestCommands(info.id(), this.api, this.exec, timeout);
		GuestFiles files = new GuestFiles(info.id(), this.exec, timeout);
		return new FlySandbox(info, this.machines, commands, files, new Lifetime(this.api, this.exec, timeout));
	}

	@Override
	public String toString() {
		return "FlyProvider[apiUrl=" + this.settings.apiUrl() + ", app=" + this.settings.app() + "]";
	}

}
