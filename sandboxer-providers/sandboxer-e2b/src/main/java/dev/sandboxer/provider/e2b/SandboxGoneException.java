package dev.sandboxer.provider.e2b;

import dev.sandboxer.error.NotFoundException;

/**
 * E2B's sandbox proxy answered that the sandbox is not there (killed, expired or never existed), as opposed to envd
 * saying a file or process is missing. Users see a {@link NotFoundException}; the type lets {@code exists} tell
 * "no such file" (false) from "no such sandbox" (an error).
 */
final class SandboxGoneException extends NotFoundException {

	SandboxGoneException(String message) {
		super(E2bSettings.PROVIDER, message);
	}

}
