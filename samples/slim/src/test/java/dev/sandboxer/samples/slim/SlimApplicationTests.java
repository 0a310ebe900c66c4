package dev.sandboxer.samples.slim;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.spi.ProviderRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slim path as a user takes it: an application on the auto-configuration and the E2B module alone starts, gets
 * its E2B bean, and carries none of what only the local provider needs. Nothing here calls E2B.
 */
@SpringBootTest(properties = { "sandboxer.providers.e2b.api-key=test-key",
		"sandboxer.providers.e2b.base-url=http://127.0.0.1:9" })
class SlimApplicationTests {

	@Autowired
	private Sandboxers sandboxers;

	@Autowired
	private Sandboxer sandboxer;

	@Autowired
	private ProviderRegistry providerRegistry;

	@Autowired
	private Environment environment;

	@Test
	void theOnlyEntryIsE2bAndItIsTheDefaultBean() {
		assertThat(this.sandboxers.names()).containsExactly("e2b");
		assertThat(this.sandboxer.type().id()).isEqualTo("e2b");
	}

	@Test
	void onlyTheE2bProviderIsOnTheClassPath() {
		assertThat(this.providerRegistry.names()).extracting((name) -> name.id()).containsExactly("e2b");
	}

	@Test
	void noDockerJavaNoJackson2NoQuic() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("com.github.dockerjava.api.DockerClient", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", classLoader)).isFalse();
		// QUIC's Java classes stay (Reactor Netty's HTTPS needs them to ask whether QUIC is available); its native
		// libraries and the HTTP/3 codec do not, so it never is.
		assertThat(classLoader.getResource("META-INF/native/libnetty_quiche42_linux_x86_64.so")).isNull();
		assertThat(io.netty.handler.codec.quic.Quic.isAvailable()).isFalse();
		assertThat(ClassUtils.isPresent("io.netty.handler.codec.http3.Http3", classLoader)).isFalse();
	}

	@Test
	void theJackson2WorkaroundLeavesThisApplicationAlone() {
		assertThat(this.environment.getProperty("management.endpoints.jackson2.isolated-object-mapper")).isNull();
	}

}
