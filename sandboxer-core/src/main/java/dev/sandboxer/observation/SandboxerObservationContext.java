package dev.sandboxer.observation;

import java.util.Objects;

import dev.sandboxer.model.ProviderName;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/** What an observation of one Sandboxer operation knows about it. */
public final class SandboxerObservationContext extends Observation.Context {

	private final SandboxerOperation operation;

	private final String providerName;

	private final ProviderName providerType;

	private @Nullable String sandboxId;

	/**
	 * @param operation the operation
	 * @param providerName the configured name of the provider instance ({@code e2b-eu})
	 * @param providerType its type ({@code e2b})
	 * @param sandboxId the sandbox concerned, when it is known before the call
	 */
	public SandboxerObservationContext(SandboxerOperation operation, String providerName, ProviderName providerType,
			@Nullable String sandboxId) {
		this.operation = Objects.requireNonNull(operation, "operation");
		this.providerName = Objects.requireNonNull(providerName, "providerName");
		this.providerType = Objects.requireNonNull(providerType, "providerType");
		this.sandboxId = sandboxId;
	}

	public SandboxerOperation getOperation() {
		return this.operation;
	}

	public String getProviderName() {
		return this.providerName;
	}

	public ProviderName getProviderType() {
		return this.providerType;
	}

	public @Nullable String getSandboxId() {
		return this.sandboxId;
	}

	/** Set once a create has answered, so the span names the new sandbox. */
	public void setSandboxId(@Nullable String sandboxId) {
		this.sandboxId = sandboxId;
	}

}
