package dev.sandboxer.http;

// Stubs follow HTTP semantics only (RFC 9110); WireMock's fixed delays and chunked dribble hold connections open.
// No vendor spec is involved.

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.config.RetrySettings;
import dev.sandboxer.error.ConnectionPoolExhaustedException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBufferUtils;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Bounded pools that long streams cannot starve, their exhaustion told as such, and nothing run on event loops. */
class HttpReliabilityTests {

	private static final Duration LIMIT = Duration.ofSeconds(20);

	private static final String KEY = "acme_secret_key_0042";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final VendorHttpClient client = VendorHttpClient
		.builder("acme", ProviderConfig.builder()
			.defaultTimeout(Duration.ofMillis(800))
			.retry(RetrySettings.NONE)
			.environment((name) -> null)
			.build())
		.maxConnections(1)
		.maxStreamConnections(1)
		.build();

	@BeforeAll
	static void quiet() {
		LogCapture.quietLibraries();
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void aCallThatFindsNoFreeConnectionSaysSoInsteadOfReportingATimeout() {
		wm.stubFor(get(urlPathEqualTo("/busy")).willReturn(okJson("{}").withFixedDelay(3000)));
		CompletableFuture<Void> holding = this.client.get(uri("/busy"))
			.timeout(Duration.ofSeconds(10))
			.discard()
			.toFuture();
		awaitServed(1);
		assertThatExceptionOfType(ConnectionPoolExhaustedException.class)
			.isThrownBy(() -> this.client.get(uri("/busy")).operation("readFile").discard().block(LIMIT))
			.withMessageContaining("acme readFile: no free connection")
			.withMessageContaining("1 connections for calls");
		holding.cancel(true);
	}

	@Test
	void aLongLivedStreamDoesNotStarveOrdinaryCalls() {
		wm.stubFor(get(urlPathEqualTo("/stream")).willReturn(aResponse().withStatus(200)
			.withBody("x".repeat(64))
			.withChunkedDribbleDelay(8, 4000)));
		wm.stubFor(get(urlPathEqualTo("/file")).willReturn(okJson("{}")));
		Disposable stream = this.client.get(uri("/stream"))
			.longLived()
			.timeout(Duration.ofSeconds(10))
			.stream()
			.flatMapMany(HttpCall.StreamedAnswer::body)
			.subscribe(DataBufferUtils::release, (error) -> {
			});
		awaitServed(1);
		this.client.get(uri("/file")).operation("readFile").discard().block(LIMIT);
		stream.dispose();
	}

	@Test
	void aStreamedBodyIsDeliveredOffTheEventLoop() {
		wm.stubFor(get(urlPathEqualTo("/chunks")).willReturn(aResponse().withStatus(200).withBody("abc")));
		String thread = this.client.get(uri("/chunks"))
			.timeout(Duration.ofSeconds(10))
			.stream()
			.flatMapMany(HttpCall.StreamedAnswer::body)
			.map((buffer) -> {
				DataBufferUtils.release(buffer);
				return Thread.currentThread();
			})
			.map((current) -> VendorHttpClient.isEventLoopThread(current) ? "event loop " + current.getName()
					: current.getName())
			.blockLast(LIMIT);
		assertThat(thread).doesNotStartWith("event loop");
	}

	@Test
	void eventLoopThreadsAreRecognised() {
		assertThat(VendorHttpClient.isEventLoopThread(Thread.currentThread())).isFalse();
		Boolean onParallel = reactor.core.publisher.Mono
			.fromCallable(() -> VendorHttpClient.isEventLoopThread(Thread.currentThread()))
			.subscribeOn(Schedulers.parallel())
			.block(LIMIT);
		assertThat(onParallel).isTrue();
	}

	@Test
	void aTransportFailureIsAttachedOnlyAsARedactedCopy() {
		Redactor redactor = new Redactor();
		redactor.addSecret(KEY);
		HttpFailures failures = new HttpFailures("acme", redactor, VendorErrors.json(new JsonCodec(), "code"));
		SandboxerException mapped = failures.fromTransport("info", "GET http://host/x",
				new IOException("refused for http://host/x?token=" + KEY, new IllegalStateException("inner " + KEY)));
		for (Throwable cause = mapped; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(KEY);
			assertThat(cause.toString()).doesNotContain(KEY);
		}
		assertThat(mapped.getCause()).hasToString("java.io.IOException: refused for http://host/x?token=****");
	}

	@Test
	void aSecretTiedToAnOwnerIsForgottenOnceTheOwnerIsGone() throws InterruptedException {
		Redactor redactor = new Redactor();
		redactor.addSecret(KEY);
		Object handle = new Object();
		redactor.addSecret(handle, "sandbox-token-77");
		assertThat(redactor.redact("t=sandbox-token-77")).isEqualTo("t=****");
		assertThat(redactor.size()).isEqualTo(2);
		handle = null;
		for (int i = 0; i < 50 && redactor.size() > 1; i++) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(redactor.size()).isEqualTo(1);
		assertThat(redactor.redact(KEY)).isEqualTo("****");
	}

	private static void awaitServed(int requests) {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (wm.getAllServeEvents().size() < requests && System.nanoTime() < until) {
			Thread.onSpinWait();
		}
		assertThat(wm.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(requests);
	}

	private static URI uri(String path) {
		return URI.create(wm.baseUrl() + path);
	}

}
