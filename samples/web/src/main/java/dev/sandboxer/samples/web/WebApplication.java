package dev.sandboxer.samples.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Runs shell snippets and moves files in sandboxes over a small REST API, with health, metrics and the sandboxes
 * endpoint on {@code /actuator}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class WebApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebApplication.class, args);
	}

}
