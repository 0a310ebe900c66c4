package dev.sandboxer.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps Actuator on Jackson 3 although Sandboxer puts Jackson 2 on the class path.
 * <p>
 * The {@code local} provider's docker-java needs Jackson 2. Its mere presence makes Spring Boot 4 build a second,
 * deprecated Jackson 2 mapper for Actuator endpoints ({@code management.endpoints.jackson2.isolated-object-mapper}
 * defaults to true), which changed what the application's endpoints are written with and cost about half a second
 * of start-up on a 2-core machine. This adds {@code false} as a default of the lowest precedence, so an application
 * that sets the property itself keeps its choice.
 * <p>
 * Only when Jackson 2 is on the class path: an application built with the autoconfigure module and a vendor
 * provider alone has no docker-java, hence no Jackson 2, and is left as it is.
 */
final class Jackson2EndpointMapperEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "management.endpoints.jackson2.isolated-object-mapper";

	private static final String SOURCE_NAME = "sandboxerDefaults";

	private static final String JACKSON_2 = "com.fasterxml.jackson.databind.ObjectMapper";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(JACKSON_2, application.getClassLoader())) {
			return;
		}
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(PROPERTY, "false")));
		}
	}

}
