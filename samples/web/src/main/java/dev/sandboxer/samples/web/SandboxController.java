package dev.sandboxer.samples.web;

import java.time.Duration;

import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.NoSuchSandboxerException;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's API. {@code POST /run} runs a snippet in a throwaway sandbox; the {@code /sandboxes} routes keep one
 * alive between calls, to move files in and out of it. Every route takes an optional {@code provider}: the name of
 * an entry under {@code sandboxer.providers}, the default one when absent.
 */
@RestController
class SandboxController {

	/** Even if this app dies, the provider ends a sandbox after this long. */
	private static final Duration LIFETIME = Duration.ofMinutes(30);

	private final Sandboxers sandboxers;

	private final SampleProperties properties;

	SandboxController(Sandboxers sandboxers, SampleProperties properties) {
		this.sandboxers = sandboxers;
		this.properties = properties;
	}

	/** Runs a shell snippet (the request body) in a new sandbox, which is killed once it has answered. */
	@PostMapping(path = "/run", consumes = MediaType.TEXT_PLAIN_VALUE)
	RunResult run(@RequestBody String script, @RequestParam(required = false) String provider) {
		try (Sandbox sandbox = sandboxer(provider).createSandbox(request(null))) {
			return RunResult.of(sandbox.id(), sandbox.runCommand(script));
		}
	}

	/** Creates a sandbox that lives until it is deleted (or the app stops). */
	@PostMapping("/sandboxes")
	ResponseEntity<CreatedSandbox> create(@RequestParam(required = false) String provider,
			@RequestParam(required = false) String template) {
		Sandbox sandbox = sandboxer(provider).createSandbox(request(template));
		return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedSandbox(sandbox.id()));
	}

	@PostMapping(path = "/sandboxes/{id}/run", consumes = MediaType.TEXT_PLAIN_VALUE)
	RunResult run(@PathVariable String id, @RequestBody String script, @RequestParam(required = false) String provider,
			@RequestParam(required = false) String cwd) {
		RunCommandRequest request = RunCommandRequest.builder(script).cwd(cwd).build();
		return RunResult.of(id, sandboxer(provider).attachSandbox(id).runCommand(request));
	}

	/** Uploads the request body to a path in the sandbox. */
	@PutMapping(path = "/sandboxes/{id}/files", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	ResponseEntity<Void> upload(@PathVariable String id, @RequestParam String path,
			@RequestParam(required = false) String provider, @RequestBody byte[] content) {
		sandboxer(provider).attachSandbox(id).writeFile(path, content);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/sandboxes/{id}/files", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	byte[] download(@PathVariable String id, @RequestParam String path,
			@RequestParam(required = false) String provider) {
		return sandboxer(provider).attachSandbox(id).readFile(path);
	}

	@DeleteMapping("/sandboxes/{id}")
	ResponseEntity<Void> kill(@PathVariable String id, @RequestParam(required = false) String provider) {
		sandboxer(provider).killSandbox(id);
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler({ NoSuchSandboxerException.class, IllegalArgumentException.class })
	ProblemDetail badRequest(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(NotFoundException.class)
	ProblemDetail notFound(NotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(SandboxerException.class)
	ProblemDetail providerFailed(SandboxerException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, ex.getMessage());
	}

	private Sandboxer sandboxer(String provider) {
		return (provider != null) ? this.sandboxers.get(provider) : this.sandboxers.getDefault();
	}

	private CreateSandboxRequest request(String template) {
		return CreateSandboxRequest.builder()
			.template(template)
			.timeout(LIFETIME)
			.metadata(this.properties.getMetadata())
			.build();
	}

	record CreatedSandbox(String id) {
	}

	record RunResult(String sandboxId, int exitCode, String stdout, String stderr) {

		static RunResult of(String sandboxId, CommandResult result) {
			return new RunResult(sandboxId, result.exitCode(), result.stdout(), result.stderr());
		}

	}

}
