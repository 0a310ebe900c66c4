package dev.sandboxer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sandboxes one client created and has neither killed nor detached: what its close must kill. */
final class OwnedSandboxes {

	private final Map<String, DefaultAsyncSandbox> sandboxes = new ConcurrentHashMap<>();

	void add(DefaultAsyncSandbox sandbox) {
		this.sandboxes.put(sandbox.id(), sandbox);
	}

	void release(String sandboxId) {
		this.sandboxes.remove(sandboxId);
	}

	List<DefaultAsyncSandbox> snapshot() {
		return List.copyOf(this.sandboxes.values());
	}

	List<String> ids() {
		return List.copyOf(this.sandboxes.keySet());
	}

}
