package dev.sandboxer.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class Jackson2EndpointMapperEnvironmentPostProcessorTests {

	private final Jackson2EndpointMapperEnvironmentPostProcessor postProcessor = new Jackson2EndpointMapperEnvironmentPostProcessor();

	@Test
	void turnsTheJackson2EndpointMapperOffByDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY)).isEqualTo("false");
	}

	@Test
	void anApplicationThatSetsThePropertyKeepsItsChoice() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY, "true")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY)).isEqualTo("true");
	}

	@Test
	void springBootAppliesItToEveryApplication() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.run()) {
			assertThat(context.getEnvironment().getProperty(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY))
				.isEqualTo("false");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
