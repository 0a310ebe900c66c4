package dev.sandboxer.error;

/** The provider's API has no way to do this operation. Never thrown where the vendor's API can do it. */
public class NotSupportedException extends SandboxerException {

	private final String operation;

	public NotSupportedException(String provider, String operation, String reason) {
		super(provider, provider + " does not support " + operation + ": " + reason, null);
		this.operation = operation;
	}

	/** The operation that was asked for, such as {@code pause}. */
	public String operation() {
		return this.operation;
	}

}
