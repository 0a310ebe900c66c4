package dev.sandboxer.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations Sandboxer makes and their keys. */
public enum SandboxerObservationDocumentation implements ObservationDocumentation {

	/** One call of a Sandboxer operation, retries included. */
	SANDBOXER_OPERATION {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSandboxerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}
	};

	/** Tags with a bounded set of values, on metrics and spans. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The configured name of the provider instance, such as {@code e2b-eu}. */
		PROVIDER {
			@Override
			public String asString() {
				return "provider";
			}
		},

		/** The provider type, such as {@code e2b}. */
		PROVIDER_TYPE {
			@Override
			public String asString() {
				return "provider.type";
			}
		},

		/** The operation, such as {@code run_command}. */
		OPERATION {
			@Override
			public String asString() {
				return "operation";
			}
		},

		/** How it ended: {@code SUCCESS} or the kind of failure. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** Tags with unbounded values, on spans only. */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The sandbox concerned. */
		SANDBOX_ID {
			@Override
			public String asString() {
				return "sandbox.id";
			}
		}

	}

}
