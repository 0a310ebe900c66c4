package dev.sandboxer.autoconfigure.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.autoconfigure.FakeProviderFactory;
import dev.sandboxer.autoconfigure.SandboxerAutoConfiguration;
import dev.sandboxer.autoconfigure.SandboxerPropertyException;
import dev.sandboxer.autoconfigure.Sandboxers;
import dev.sandboxer.spi.ProviderFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link SandboxerHttpClientAutoConfiguration}: a real forward proxy ({@link ConnectProxy}), TLS
 * against WireMock's HTTPS port trusted through an SSL bundle, the application's customizer, and the
 * {@code http.client.requests} observations, all through a provider built on the HTTP toolkit.
 */
class SandboxerHttpClientAutoConfigurationTests {

	private static final String PASSWORD = "changeit";

	@TempDir
	static Path certificates;

	private static Path keyStore;

	private WireMockServer vendor;

	private ConnectProxy proxy;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SandboxerHttpClientAutoConfiguration.class,
				SandboxerAutoConfiguration.class))
		.withBean("httpFactory", ProviderFactory.class, HttpPingProviderFactory::new)
		.withBean("fakeLocalFactory", ProviderFactory.class, () -> new FakeProviderFactory("local"));

	/** A key pair for localhost, made with the JDK's keytool as an operator would for a private CA's server. */
	@BeforeAll
	static void makeCertificate() throws Exception {
		keyStore = certificates.resolve("vendor.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "vendor", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
				"-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
		assertThat(Files.size(keyStore)).isPositive();
	}

	@BeforeEach
	void start() throws Exception {
		this.vendor = new WireMockServer(wireMockConfig().dynamicPort()
			.dynamicHttpsPort()
			.keystorePath(keyStore.toString())
			.keystoreType("PKCS12")
			.keystorePassword(PASSWORD)
			.keyManagerPassword(PASSWORD));
		this.vendor.start();
		this.vendor.stubFor(get(urlPathEqualTo("/ping/sb-42")).willReturn(okJson("{}")));
		this.proxy = new ConnectProxy();
	}

	@AfterEach
	void stop() throws Exception {
		this.vendor.stop();
		this.proxy.close();
	}

	@Test
	void proxyShouldCarryTheCallsOfItsEntryOnly() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.proxied.type=httpfake",
					"sandboxer.providers.proxied.base-url=" + httpUrl(),
					"sandboxer.providers.proxied.proxy.host=localhost",
					"sandboxer.providers.proxied.proxy.port=" + this.proxy.port(),
					"sandboxer.providers.proxied.proxy.username=builder",
					"sandboxer.providers.proxied.proxy.password=s3cret-proxy-pass",
					"sandboxer.providers.direct.type=httpfake",
					"sandboxer.providers.direct.base-url=" + httpUrl())
			.run((context) -> {
				Sandboxers sandboxers = context.getBean(Sandboxers.class);
				assertThat(sandboxers.get("proxied").ping()).containsEntry("pinged", "yes");
				assertThat(this.proxy.requests).hasSize(1);
				String basic = Base64.getEncoder()
					.encodeToString("builder:s3cret-proxy-pass".getBytes(StandardCharsets.UTF_8));
				assertThat(this.proxy.requests.get(0)).startsWith("CONNECT localhost:" + this.vendor.port() + " ")
					.containsIgnoringCase("proxy-authorization: Basic " + basic);
				assertThat(sandboxers.get("direct").ping()).containsEntry("pinged", "yes");
				assertThat(this.proxy.requests).hasSize(1);
				this.vendor.verify(2, getRequestedFor(urlPathEqualTo("/ping/sb-42")));
			});
	}

	@Test
	void nonProxyHostsShouldGoDirect() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.httpfake.base-url=" + httpUrl(),
					"sandboxer.providers.httpfake.proxy.host=localhost",
					"sandboxer.providers.httpfake.proxy.port=" + this.proxy.port(),
					"sandboxer.providers.httpfake.proxy.non-proxy-hosts=example.org|local*")
			.run((context) -> {
				assertThat(context.getBean(Sandboxer.class).ping()).containsEntry("pinged", "yes");
				assertThat(this.proxy.requests).isEmpty();
			});
	}

	@Test
	void sslBundleShouldBeTrustedForItsEntryAndTheJvmDefaultsShouldNot() {
		String httpsUrl = "https://localhost:" + this.vendor.httpsPort();
		this.contextRunner
			.withPropertyValues("spring.ssl.bundle.jks.vendor.truststore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.vendor.truststore.password=" + PASSWORD,
					"spring.ssl.bundle.jks.vendor.truststore.type=PKCS12",
					"sandboxer.providers.trusting.type=httpfake", "sandboxer.providers.trusting.base-url=" + httpsUrl,
					"sandboxer.providers.trusting.ssl.bundle=vendor", "sandboxer.providers.plain.type=httpfake",
					"sandboxer.providers.plain.base-url=" + httpsUrl)
			.run((context) -> {
				Sandboxers sandboxers = context.getBean(Sandboxers.class);
				assertThat(sandboxers.get("trusting").ping()).containsEntry("pinged", "yes");
				assertThatException().isThrownBy(() -> sandboxers.get("plain").ping());
				this.vendor.verify(1, getRequestedFor(urlPathEqualTo("/ping/sb-42")));
			});
	}

	@Test
	void applicationCustomizerShouldBeAppliedWithTheEntryName() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.eu.type=httpfake",
					"sandboxer.providers.eu.base-url=" + httpUrl())
			.withBean(SandboxerHttpClientCustomizer.class,
					() -> (entry, client) -> client.headers((headers) -> headers.add("X-Entry", entry)))
			.run((context) -> {
				context.getBean(Sandboxer.class).ping();
				this.vendor.verify(getRequestedFor(urlPathEqualTo("/ping/sb-42")).withHeader("X-Entry", equalTo("eu")));
			});
	}

	@Test
	void vendorCallsShouldBeHttpClientRequestsObservationsWithFewTags() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}

		});
		this.contextRunner.withBean(TestObservationRegistry.class, () -> registry)
			.withPropertyValues("sandboxer.providers.e2b-eu.type=httpfake",
					"sandboxer.providers.e2b-eu.base-url=" + httpUrl())
			.run((context) -> {
				context.getBean(Sandboxer.class).ping();
				TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("http.client.requests")
					.that()
					.hasLowCardinalityKeyValue("client.name", "e2b-eu")
					.hasLowCardinalityKeyValue("sandboxer.operation", "ping")
					.hasLowCardinalityKeyValue("uri", "none")
					.hasLowCardinalityKeyValue("status", "200")
					.hasHighCardinalityKeyValue("http.url", httpUrl() + "/ping/sb-42");
				assertThat(stopped).isNotEmpty().allSatisfy((observed) -> assertThat(
						observed.getLowCardinalityKeyValues().stream().map((keyValue) -> keyValue.getValue()))
					.noneMatch((value) -> value.contains("sb-42") || value.contains("t0k3n")));
			});
	}

	@Test
	void proxyOnAProviderWithoutHttpShouldFailNamingIt() {
		this.contextRunner
			.withPropertyValues("sandboxer.providers.local.proxy.host=proxy.corp", "sandboxer.providers.local.proxy.port=3128")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(SandboxerPropertyException.class,
						(ex) -> assertThat(ex.property()).hasValue("sandboxer.providers.local.proxy.host")));
	}

	@Test
	void badProxyOrBundleShouldFailNamingTheProperty() {
		List.of(List.of("sandboxer.providers.httpfake.proxy.host=proxy.corp", "sandboxer.providers.httpfake.proxy.port"),
				List.of("sandboxer.providers.httpfake.ssl.bundle=missing", "sandboxer.providers.httpfake.ssl.bundle"))
			.forEach((pair) -> this.contextRunner
				.withPropertyValues("sandboxer.providers.httpfake.base-url=" + httpUrl(), pair.get(0))
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOfSatisfying(SandboxerPropertyException.class,
							(ex) -> assertThat(ex.property()).hasValue(pair.get(1)))));
	}

	private String httpUrl() {
		return "http://localhost:" + this.vendor.port();
	}

	@Test
	void nonProxyHostsShouldReadAsJavaWritesThem() {
		assertThat("api.internal").matches(HttpProviderConfigCustomizer.nonProxyHostsPattern("localhost|*.internal"));
		assertThat("localhost").matches(HttpProviderConfigCustomizer.nonProxyHostsPattern("localhost|*.internal"));
		assertThat("api.e2b.app").doesNotMatch(HttpProviderConfigCustomizer.nonProxyHostsPattern("localhost|*.internal"));
	}

}
