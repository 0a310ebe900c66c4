package dev.sandboxer;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.observation.DefaultSandboxerObservationConvention;
import dev.sandboxer.observation.SandboxerObservationContext;
import dev.sandboxer.observation.SandboxerObservationConvention;
import dev.sandboxer.observation.SandboxerObservationDocumentation;
import dev.sandboxer.observation.SandboxerOperation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The one place every operation passes through: it observes the call (one observation per logical call, retries
 * included) and makes sure whatever fails reaches the user as a {@link SandboxerException}.
 */
final class OperationObserver {

	private final String name;

	private final ProviderName type;

	private final ObservationRegistry registry;

	private final @Nullable SandboxerObservationConvention convention;

	OperationObserver(String name, ProviderName type, ObservationRegistry registry,
			@Nullable SandboxerObservationConvention convention) {
		this.name = name;
		this.type = type;
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * @param resultId the sandbox id a successful result names (for create), so the span carries it
	 */
	<T> CompletableFuture<T> observe(SandboxerOperation operation, @Nullable String sandboxId,
			Supplier<CompletableFuture<T>> call, @Nullable Function<T, String> resultId) {
		// Where nothing observes, no context or observation is made: in a fresh JVM their classes alone cost
		// milliseconds on a command-line tool's first call. Failures are typed and completions handed off alike.
		SandboxerObservationContext context = null;
		Observation observation = null;
		if (!this.registry.isNoop()) {
			SandboxerObservationContext made = new SandboxerObservationContext(operation, this.name, this.type,
					sandboxId);
			context = made;
			observation = SandboxerObservationDocumentation.SANDBOXER_OPERATION
				.observation(this.convention, DefaultConvention.INSTANCE, () -> made, this.registry)
				.start();
		}
		CompletableFuture<T> pending;
		try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
			pending = call.get();
		}
		catch (Throwable ex) {
			pending = CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		CompletableFuture<T> source = pending;
		SandboxerObservationContext observed = context;
		Observation running = observation;
		source.whenComplete((value, error) -> {
			if (error == null) {
				if (running != null) {
					if (resultId != null && value != null) {
						observed.setSandboxId(resultId.apply(value));
					}
					running.stop();
				}
				complete(() -> result.complete(value));
			}
			else {
				Throwable typed = typed(error, operation);
				if (running != null) {
					running.error(typed);
					running.stop();
				}
				complete(() -> result.completeExceptionally(typed));
			}
		});
		// Cancelling what the user holds cancels the provider's work too.
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				source.cancel(true);
			}
		});
		return result;
	}

	/**
	 * Completes the user's future off the provider's threads (see {@link CallbackThreads}); directly when already on
	 * a callback thread, to spare a hop.
	 */
	private static void complete(Runnable completion) {
		if (CallbackThreads.isCurrent()) {
			completion.run();
		}
		else {
			CallbackThreads.executor().execute(completion);
		}
	}

	private Throwable typed(Throwable error, SandboxerOperation operation) {
		Throwable cause = error;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof SandboxerException typed) {
			return typed.reportedBy(this.name);
		}
		if (cause instanceof CancellationException || cause instanceof Error) {
			return cause;
		}
		return new ProviderException(this.type.id(), "Unexpected failure in " + operation.value() + " on provider '"
				+ this.name + "': " + cause.getClass().getName(), null, null, cause).reportedBy(this.name);
	}

	/** Made on the first observed call only: where nothing observes, its classes are never loaded. */
	private static final class DefaultConvention {

		static final SandboxerObservationConvention INSTANCE = new DefaultSandboxerObservationConvention();

	}

}
