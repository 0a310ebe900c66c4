package dev.sandboxer.autoconfigure.metrics;

import java.util.function.Supplier;

import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.observation.SandboxerObservationContext;
import dev.sandboxer.observation.SandboxerOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * The meters of the sandboxes themselves, per provider (tags {@code provider} and {@code provider.type}):
 * <ul>
 * <li>{@code sandboxer.sandboxes.active}: a gauge of the sandboxes this application created and has neither killed
 * nor detached, those its shutdown would kill;</li>
 * <li>{@code sandboxer.sandboxes.created} and {@code sandboxer.sandboxes.killed}: counters of successful creates and
 * kills, counted from the {@code sandboxer.operation} observations.</li>
 * </ul>
 * The timer of every operation comes from Micrometer's own observation handler.
 */
public final class SandboxerMetrics implements MeterBinder, ObservationHandler<SandboxerObservationContext> {

	public static final String ACTIVE = "sandboxer.sandboxes.active";

	public static final String CREATED = "sandboxer.sandboxes.created";

	public static final String KILLED = "sandboxer.sandboxes.killed";

	private final Supplier<Sandboxers> sandboxers;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * @param sandboxers the registry, asked for only when the meters are bound: this handler is itself part of the
	 * {@code ObservationRegistry} that the clients are built with
	 */
	public SandboxerMetrics(Supplier<Sandboxers> sandboxers) {
		this.sandboxers = sandboxers;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.sandboxers.get().all().forEach((name, sandboxer) -> {
			Tags tags = tags(name, sandboxer.type().id());
			Gauge.builder(ACTIVE, sandboxer, (client) -> client.ownedSandboxIds().size())
				.description("Sandboxes this application created and has neither killed nor detached")
				.tags(tags)
				.strongReference(true)
				.register(registry);
			// Registered now so that both counters read 0 before the first sandbox, not "no such meter".
			created(registry, tags);
			killed(registry, tags);
		});
		this.registry = registry;
	}

	@Override
	public void onStop(SandboxerObservationContext context) {
		MeterRegistry target = this.registry;
		if (target == null || context.getError() != null) {
			return;
		}
		SandboxerOperation operation = context.getOperation();
		Tags tags = tags(context.getProviderName(), context.getProviderType().id());
		if (operation == SandboxerOperation.CREATE_SANDBOX) {
			created(target, tags).increment();
		}
		else if (operation == SandboxerOperation.KILL_SANDBOX || operation == SandboxerOperation.KILL) {
			killed(target, tags).increment();
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof SandboxerObservationContext;
	}

	private static Counter created(MeterRegistry registry, Tags tags) {
		return Counter.builder(CREATED).description("Sandboxes created").tags(tags).register(registry);
	}

	private static Counter killed(MeterRegistry registry, Tags tags) {
		return Counter.builder(KILLED).description("Sandboxes killed").tags(tags).register(registry);
	}

	private static Tags tags(String provider, String type) {
		return Tags.of("provider", provider, "provider.type", type);
	}

}
