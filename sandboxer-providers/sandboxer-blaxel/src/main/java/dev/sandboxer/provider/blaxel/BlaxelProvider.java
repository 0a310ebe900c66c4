package dev.sandboxer.provider.blaxel;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.http.JsonCodec;
import dev.sandboxer.http.Redactor;
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
 * Blaxel as a {@link SandboxProvider}: one pooled HTTP client for the control plane and every sandbox's sandbox-api.
 * <p>
 * Create sends {@code metadata.name} (the {@code name} option, else {@code sandboxer-<12 random characters>}: a name
 * chosen here lets a create that the edge timed out be found instead of repeated), the metadata as
 * {@code metadata.labels}, and {@code spec.runtime} with the image, the memory, the ports, the environment and the
 * lifetime as {@code ttl} (the request's {@code timeout}; Blaxel deletes the sandbox then, whether or not this JVM is
 * alive). Without a timeout the sandbox has no deadline, as in the official SDK. Blaxel sizes CPUs from memory
 * (memory MB / 2048), so {@code cpus} alone asks for {@code cpus * 2048} MB, and {@code cpus} with a
 * {@code memoryMb} that disagrees is {@link NotSupportedException}. Options: {@code name}, {@code region}.
 * <p>
 * The sandbox's first {@link SandboxInfo} comes from the create answer; its sandbox-api is the answer's
 * {@code metadata.url}, else the SDK's fallback address, so no follow-up call can orphan a new sandbox.
 */
final class BlaxelProvider implements SandboxProvider {

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,47}[a-z0-9])?");

	private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final BlaxelSettings settings;

	private final BlaxelAuth auth;

	private final VendorHttpClient http;

	private final ControlPlane controlPlane;

	private final TerminalSockets terminals = new TerminalSockets();

	BlaxelProvider(BlaxelSettings settings, String apiKey, ProviderConfig config) {
		this.settings = settings;
		this.auth = new BlaxelAuth(apiKey, settings.workspace());
		Redactor redactor = new Redactor();
		redactor.addSecret(apiKey);
		JsonCodec json = new JsonCodec();
		this.http = VendorHttpClient.builder(BlaxelSettings.PROVIDER, config)
			.json(json)
			.redactor(redactor)
			.vendorErrors(new BlaxelErrors(json))
			.build();
		this.controlPlane = new ControlPlane(this.http, settings.apiUrl(), this.auth);
	}

	@Override
	public ProviderName name() {
		return BlaxelProviderFactory.NAME;
	}

	@Override
	public CompletableFuture<ProviderSandbox> createSandbox(CreateSandboxRequest request) {
		String name;
		BlaxelJson.Sandbox body;
		try {
			name = request.options().getOrDefault("name", newName());
			body = body(request, name);
		}
		catch (SandboxerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.controlPlane.create(body, name)
			.flatMap((created) -> url(created) != null ? Mono.just(created)
					: this.controlPlane.get(name, "createSandbox").onErrorReturn(created))
			.map((created) -> (ProviderSandbox) handle(created, name))
			.toFuture();
	}

	@Override
	public CompletableFuture<ProviderSandbox> attachSandbox(String sandboxId) {
		return this.controlPlane.get(sandboxId, "attachSandbox")
			.map((sandbox) -> (ProviderSandbox) handle(sandbox, sandboxId))
			.toFuture();
	}

	/**
	 * Every page of {@code GET /sandboxes}. A metadata filter is narrowed on the server (its longest value as the
	 * {@code q} substring search) and matched exactly on labels here.
	 */
	@Override
	public CompletableFuture<List<SandboxInfo>> listSandboxes(ListSandboxesFilter filter) {
		return this.controlPlane.list(filter).toFuture();
	}

	@Override
	public CompletableFuture<Void> killSandbox(String sandboxId) {
		return this.controlPlane.delete(sandboxId, "killSandbox").toFuture();
	}

	@Override
	public CompletableFuture<Map<String, String>> ping() {
		return this.controlPlane.ping()
			.then(Mono.fromSupplier(() -> Map.of("apiUrl", this.settings.apiUrl().toString(), "workspace",
					this.settings.workspace())))
			.toFuture();
	}

	@Override
	public void close() {
		this.terminals.closeAll();
		this.http.close();
	}

	private BlaxelSandbox handle(BlaxelJson.Sandbox sandbox, String name) {
		SandboxInfo info = SandboxInfos.of(sandbox, name);
		String url = url(sandbox);
		SandboxApi api = new SandboxApi(this.http, (url != null) ? url : this.settings.fallbackSandboxUrl(info.id()),
				this.auth);
		return new BlaxelSandbox(info, this.controlPlane, api, this.terminals);
	}

	private BlaxelJson.Sandbox body(CreateSandboxRequest request, String name) {
		for (String option : request.options().keySet()) {
			if (!option.equals("name") && !option.equals("region")) {
				throw new BadConfigException(BlaxelSettings.PROVIDER, "options",
						"Unknown Blaxel create option '" + option + "'; known options: name, region");
			}
		}
		if (!NAME.matcher(name).matches()) {
			throw new BadConfigException(BlaxelSettings.PROVIDER, "options",
					"A Blaxel sandbox name is 1 to 49 lower-case letters, digits and inner hyphens, got '" + name + "'");
		}
		Integer memory = request.memoryMb();
		if (request.cpus() != null) {
			int fromCpus = request.cpus() * 2048;
			if (memory != null && memory != fromCpus) {
				throw new NotSupportedException(BlaxelSettings.PROVIDER, "cpus and memoryMb that disagree",
						"Blaxel gives a sandbox one CPU per 2048 MB of memory; ask for memoryMb " + fromCpus
								+ " (or cpus alone)");
			}
			memory = fromCpus;
		}
		List<BlaxelJson.Port> ports = request.sortedPorts()
			.stream()
			.map((port) -> new BlaxelJson.Port(port, "HTTP"))
			.toList();
		List<BlaxelJson.Env> envs = new ArrayList<>();
		request.envs().forEach((key, value) -> envs.add(new BlaxelJson.Env(key, value)));
		BlaxelJson.Runtime runtime = new BlaxelJson.Runtime(
				(request.template() != null) ? request.template() : this.settings.image(),
				(memory != null) ? memory : this.settings.memoryMb(), ports.isEmpty() ? null : ports,
				envs.isEmpty() ? null : envs,
				(request.timeout() != null) ? SandboxInfos.ttlText(request.timeout()) : null, null);
		String region = request.options().getOrDefault("region", this.settings.region());
		return new BlaxelJson.Sandbox(
				new BlaxelJson.Metadata(name, request.metadata().isEmpty() ? null : request.metadata(), null, null),
				new BlaxelJson.Spec(runtime, region), null, null, null);
	}

	private static @Nullable String url(BlaxelJson.Sandbox sandbox) {
		String url = (sandbox.metadata() != null) ? sandbox.metadata().url() : null;
		return (url != null && !url.isBlank()) ? url : null;
	}

	private static String newName() {
		StringBuilder name = new StringBuilder("sandboxer-");
		for (int i = 0; i < 12; i++) {
			name.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
		}
		return name.toString();
	}

	@Override
	public String toString() {
		return "BlaxelProvider[apiUrl=" + this.settings.apiUrl() + ", workspace=" + this.settings.workspace() + "]";
	}

}
