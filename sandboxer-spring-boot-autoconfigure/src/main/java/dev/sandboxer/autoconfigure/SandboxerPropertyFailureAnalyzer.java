package dev.sandboxer.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped by a Sandboxer property that cannot work, naming the property to fix. It repeats only
 * the exception's message, which never holds a secret.
 */
class SandboxerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<SandboxerPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SandboxerPropertyException cause) {
		String property = cause.property().orElse(SandboxerEntries.PREFIX);
		String description = "Sandboxer could not be configured: " + cause.getMessage() + "\n\nProperty: " + property;
		String action = (cause.action() != null) ? cause.action() : action(property);
		return new FailureAnalysis(description, action, cause);
	}

	private static String action(String property) {
		if (property.endsWith(".type")) {
			return "Set '" + property + "' to one of the provider types listed above (when it is not set, the name of "
					+ "the entry is taken as its type), or add the jar of the provider you meant.";
		}
		if (property.endsWith(".api-key")) {
			return "Set '" + property + "' (for example from an environment variable: " + property
					+ ": ${MY_API_KEY:}), or set the environment variable named above.";
		}
		return "Review the value of the property '" + property + "'.";
	}

}
