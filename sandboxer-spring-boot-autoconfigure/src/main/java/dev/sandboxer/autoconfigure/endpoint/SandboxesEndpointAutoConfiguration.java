package dev.sandboxer.autoconfigure.endpoint;

import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.SandboxerProperties;
import dev.sandboxer.autoconfigure.Sandboxers;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@link SandboxesEndpoint}. Made only when the endpoint is available (enabled and exposed), as Spring Boot's own.
 */
@AutoConfiguration(after = SandboxerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, Sandboxers.class })
@ConditionalOnBean(Sandboxers.class)
@ConditionalOnAvailableEndpoint(SandboxesEndpoint.class)
public final class SandboxesEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SandboxesEndpoint sandboxesEndpoint(Sandboxers sandboxers, SandboxerProperties properties) {
		return new SandboxesEndpoint(sandboxers, properties.getEndpoint().getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SandboxesEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = SandboxesEndpoint.class, exposure = EndpointExposure.WEB)
	SandboxesEndpointWebExtension sandboxesEndpointWebExtension(SandboxesEndpoint endpoint) {
		return new SandboxesEndpointWebExtension(endpoint);
	}

}
