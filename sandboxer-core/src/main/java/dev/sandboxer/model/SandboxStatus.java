package dev.sandboxer.model;

import java.util.Locale;

/** Where a sandbox is in its life. A paused sandbox is {@link #PAUSED}, never {@link #RUNNING}. */
public enum SandboxStatus {

	STARTING, RUNNING, PAUSED, STOPPED, ERROR;

	/** The lower-case name the reference SDKs use on the wire ({@code running}). */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
