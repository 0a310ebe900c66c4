package dev.sandboxer.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Implement to change the name or the tags of Sandboxer's observations. */
public interface SandboxerObservationConvention extends ObservationConvention<SandboxerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SandboxerObservationContext;
	}

}
