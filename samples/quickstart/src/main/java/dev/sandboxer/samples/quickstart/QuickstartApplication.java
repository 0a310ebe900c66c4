package dev.sandboxer.samples.quickstart;

import dev.sandboxer.Sandboxer;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Creates a sandbox on the local Docker engine, runs a command in it, writes and reads a file, lists a directory and
 * kills it, printing each step; then exits.
 */
@SpringBootApplication
public class QuickstartApplication {

	public static void main(String[] args) {
		// Exiting closes the context: anything the tour left behind would be killed there.
		System.exit(SpringApplication.exit(SpringApplication.run(QuickstartApplication.class, args)));
	}

	@Bean
	ApplicationRunner quickstart(Sandboxer sandboxer) {
		return (args) -> new Quickstart(sandboxer, System.out).run();
	}

}
