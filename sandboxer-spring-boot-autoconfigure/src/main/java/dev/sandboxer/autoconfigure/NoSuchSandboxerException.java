package dev.sandboxer.autoconfigure;

import java.util.Collection;

import dev.sandboxer.error.SandboxerException;

/** A {@link Sandboxers} lookup named no configured entry. The message lists the names that exist. */
public class NoSuchSandboxerException extends SandboxerException {

	private final String name;

	NoSuchSandboxerException(String name, Collection<String> known) {
		super(null, "No Sandboxer named '" + name + "' is configured; configured names: " + known
				+ " (entries under 'sandboxer.providers')", null);
		this.name = name;
	}

	NoSuchSandboxerException(Collection<String> known) {
		super(null, "No default Sandboxer: several are configured " + known
				+ "; set 'sandboxer.default-provider' to one of them or ask for one by name", null);
		this.name = "";
	}

	/** The name that was asked for; empty when the default was asked for. */
	public String getName() {
		return this.name;
	}

}
