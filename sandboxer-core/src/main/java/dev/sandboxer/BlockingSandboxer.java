package dev.sandboxer;

import java.util.List;
import java.util.Map;

import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.SandboxInfo;

/** The blocking client: waits on the asynchronous one, so every provider is written once. */
final class BlockingSandboxer implements Sandboxer {

	private final DefaultAsyncSandboxer async;

	BlockingSandboxer(DefaultAsyncSandboxer async) {
		this.async = async;
	}

	@Override
	public String name() {
		return this.async.name();
	}

	@Override
	public ProviderName type() {
		return this.async.type();
	}

	@Override
	public Sandbox createSandbox() {
		return Await.result(this.async.core(), this.async.createSandbox()).blocking();
	}

	@Override
	public Sandbox createSandbox(CreateSandboxRequest request) {
		return Await.result(this.async.core(), this.async.createSandbox(request)).blocking();
	}

	@Override
	public Sandbox attachSandbox(String sandboxId) {
		return Await.result(this.async.core(), this.async.attachSandbox(sandboxId)).blocking();
	}

	@Override
	public List<SandboxInfo> listSandboxes() {
		return Await.result(this.async.core(), this.async.listSandboxes());
	}

	@Override
	public List<SandboxInfo> listSandboxes(ListSandboxesFilter filter) {
		return Await.result(this.async.core(), this.async.listSandboxes(filter));
	}

	@Override
	public void killSandbox(String sandboxId) {
		Await.result(this.async.core(), this.async.killSandbox(sandboxId));
	}

	@Override
	public Map<String, String> ping() {
		return Await.result(this.async.core(), this.async.ping());
	}

	@Override
	public List<String> ownedSandboxIds() {
		return this.async.ownedSandboxIds();
	}

	@Override
	public AsyncSandboxer async() {
		return this.async;
	}

	@Override
	public void close() {
		this.async.close();
	}

	@Override
	public String toString() {
		return "Sandboxer[name=" + name() + ", type=" + type() + "]";
	}

}
