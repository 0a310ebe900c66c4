package dev.sandboxer.autoconfigure;

import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandboxer;

/**
 * The factory methods behind each entry's {@code <entry>Sandboxer} and {@code <entry>AsyncSandboxer} beans (see
 * {@link SandboxerBeanRegistrar}): plain static methods, which AOT-generated code can call directly.
 */
final class SandboxerEntryBeans {

	private SandboxerEntryBeans() {
	}

	static Sandboxer sandboxer(String entry, Sandboxers sandboxers) {
		return sandboxers.get(entry);
	}

	static AsyncSandboxer asyncSandboxer(String entry, Sandboxers sandboxers) {
		return sandboxers.getAsync(entry);
	}

}
