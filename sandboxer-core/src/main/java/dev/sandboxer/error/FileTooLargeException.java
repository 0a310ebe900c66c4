package dev.sandboxer.error;

/**
 * {@code readFile} was asked for a file larger than it returns whole. Nothing was kept; read it with
 * {@code readFileStream}, which never holds the file in memory.
 */
public class FileTooLargeException extends SandboxerException {

	private final long limitBytes;

	public FileTooLargeException(String provider, String path, long limitBytes) {
		super(provider, "'" + path + "' is larger than " + limitBytes + " bytes, the most readFile returns whole: "
				+ "read it with readFileStream", null);
		this.limitBytes = limitBytes;
	}

	/** The largest file {@code readFile} returns. */
	public long limitBytes() {
		return this.limitBytes;
	}

}
