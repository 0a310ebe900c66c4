package dev.sandboxer.autoconfigure;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests run with Jackson 2 on the class path (a test dependency), as an application with the local provider has
 * it; the slim case hides it.
 */
class Jackson2EndpointMapperEnvironmentPostProcessorTests {

	private final Jackson2EndpointMapperEnvironmentPostProcessor postProcessor = new Jackson2EndpointMapperEnvironmentPostProcessor();

	@Test
	void turnsTheJackson2EndpointMapperOffByDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY)).isEqualTo("false");
	}

	@Test
	void withoutJackson2OnTheClassPathItLeavesTheEnvironmentAlone() {
		StandardEnvironment environment = new StandardEnvironment();
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(ObjectMapper.class)));
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.getProperty(Jackson2EndpointMapperEnvironmentPostProcessor.PROPERTY)).isNull();
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
