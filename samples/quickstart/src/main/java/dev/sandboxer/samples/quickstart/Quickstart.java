package dev.sandboxer.samples.quickstart;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.FileInfo;

/** The tour itself: each step of a sandbox's life, printed as it happens. */
public final class Quickstart {

	private final Sandboxer sandboxer;

	private final PrintStream out;

	public Quickstart(Sandboxer sandboxer, PrintStream out) {
		this.sandboxer = sandboxer;
		this.out = out;
	}

	public void run() {
		this.out.println("1. creating a sandbox on '" + this.sandboxer.name() + "' (" + this.sandboxer.type() + ")");
		// try-with-resources: the sandbox was created here, so leaving the block kills it even after a failure.
		try (Sandbox sandbox = this.sandboxer.createSandbox()) {
			this.out.println("   created " + sandbox.id() + " from " + sandbox.initialInfo().template());

			CommandResult result = sandbox.runCommand("echo \"hello from $(hostname)\" && uname -s");
			this.out.println("2. ran a command: exit code " + result.exitCode());
			result.stdout().lines().forEach((line) -> this.out.println("   | " + line));

			sandbox.writeFile("/tmp/quickstart/hello.txt", "Hello, sandbox!\n".getBytes(StandardCharsets.UTF_8));
			String back = new String(sandbox.readFile("/tmp/quickstart/hello.txt"), StandardCharsets.UTF_8);
			this.out.println("3. wrote and read /tmp/quickstart/hello.txt: " + back.strip());

			this.out.println("4. listed /tmp/quickstart:");
			for (FileInfo entry : sandbox.listDirectory("/tmp/quickstart")) {
				this.out.println("   " + (entry.isDir() ? "d " : "- ") + entry.name() + " (" + entry.size() + " bytes)");
			}

			sandbox.kill();
			this.out.println("5. killed " + sandbox.id());
		}
	}

}
