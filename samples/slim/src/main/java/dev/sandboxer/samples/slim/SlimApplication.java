package dev.sandboxer.samples.slim;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.CommandResult;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web app that uses E2B alone, built on the auto-configuration and the E2B module instead of the starter: what an
 * application that needs one vendor ships. {@code POST /run} runs a shell snippet in a fresh sandbox.
 */
@SpringBootApplication
@RestController
public class SlimApplication {

	private final Sandboxer sandboxer;

	SlimApplication(Sandboxer sandboxer) {
		this.sandboxer = sandboxer;
	}

	public static void main(String[] args) {
		SpringApplication.run(SlimApplication.class, args);
	}

	@PostMapping("/run")
	String run(@RequestBody String script) {
		try (Sandbox sandbox = this.sandboxer.createSandbox()) {
			CommandResult result = sandbox.runCommand(script);
			return result.stdout();
		}
	}

}
