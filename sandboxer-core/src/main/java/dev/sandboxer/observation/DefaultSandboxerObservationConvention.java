package dev.sandboxer.observation;

import dev.sandboxer.observation.SandboxerObservationDocumentation.HighCardinalityKeyNames;
import dev.sandboxer.observation.SandboxerObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * Names every observation {@code sandboxer.operation}, with the bounded tags {@code provider}, {@code provider.type},
 * {@code operation} and {@code outcome}; Micrometer's meter handler adds {@code error}. The sandbox id goes only to
 * spans.
 */
public class DefaultSandboxerObservationConvention implements SandboxerObservationConvention {

	public static final String DEFAULT_NAME = "sandboxer.operation";

	private static final KeyValue NO_SANDBOX = KeyValue.of(HighCardinalityKeyNames.SANDBOX_ID, KeyValue.NONE_VALUE);

	@Override
	public String getName() {
		return DEFAULT_NAME;
	}

	@Override
	public String getContextualName(SandboxerObservationContext context) {
		return context.getOperation().value() + " " + context.getProviderName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SandboxerObservationContext context) {
		return KeyValues.of(provider(context), providerType(context), operation(context), outcome(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SandboxerObservationContext context) {
		return KeyValues.of(sandboxId(context));
	}

	protected KeyValue provider(SandboxerObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.PROVIDER, context.getProviderName());
	}

	protected KeyValue providerType(SandboxerObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.PROVIDER_TYPE, context.getProviderType().id());
	}

	protected KeyValue operation(SandboxerObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.OPERATION, context.getOperation().value());
	}

	protected KeyValue outcome(SandboxerObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.OUTCOME, SandboxerOutcome.of(context.getError()).name());
	}

	protected KeyValue sandboxId(SandboxerObservationContext context) {
		String id = context.getSandboxId();
		return (id != null) ? KeyValue.of(HighCardinalityKeyNames.SANDBOX_ID, id) : NO_SANDBOX;
	}

}
