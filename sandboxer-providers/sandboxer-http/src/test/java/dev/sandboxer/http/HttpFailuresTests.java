package dev.sandboxer.http;

// Inputs follow RFC 9110 (Retry-After as seconds or an HTTP-date) and the error body of E2B's control plane
// (e2b-dev/E2B spec/openapi.yml at b8029973: Error {code, error_code, message}); Connect codes per
// connectrpc/connectrpc.com docs/protocol.md at c72686b6 ("Error Codes").

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderConnectionException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.error.QuotaExceededException;
import dev.sandboxer.error.RateLimitException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.error.UnauthorizedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class HttpFailuresTests {

	private static final String KEY = "e2b_secret_key_0123456789";

	private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	private final JsonCodec json = new JsonCodec();

	private final HttpFailures failures = new HttpFailures("acme", redactor(),
			new VendorErrors() {
				@Override
				public ErrorDetails read(int status, byte[] body) {
					return HttpFailuresTests.this.json.errorDetails(body, "error_code", "code");
				}

				@Override
				public boolean isQuota(int status, ErrorDetails details) {
					return "team_limit".equals(details.code());
				}
			}, this.clock);

	@Test
	void mapsEachStatusToItsType() {
		assertThat(answer(401, "{\"message\":\"bad key\"}")).isInstanceOf(UnauthorizedException.class)
			.hasMessage("acme info failed: HTTP 401: bad key");
		assertThat(answer(403, "")).isInstanceOf(UnauthorizedException.class);
		assertThat(answer(404, "{\"code\":404,\"message\":\"sandbox x not found\"}"))
			.isInstanceOf(NotFoundException.class)
			.hasMessage("acme info failed: HTTP 404 (404): sandbox x not found");
		assertThat(answer(402, "{\"message\":\"pay up\"}")).isInstanceOf(QuotaExceededException.class);
		assertThat(answer(429, "{\"error_code\":\"team_limit\",\"message\":\"too many sandboxes\"}"))
			.isInstanceOf(QuotaExceededException.class)
			.hasMessageContaining("team_limit");
	}

	@Test
	void rateLimitCarriesRetryAfterInSecondsOrAsADate() {
		HttpHeaders seconds = new HttpHeaders();
		seconds.set(HttpHeaders.RETRY_AFTER, "7");
		SandboxerException inSeconds = this.failures.fromResponse("info", 429, seconds, new byte[0]);
		assertThat(inSeconds).isInstanceOfSatisfying(RateLimitException.class,
				(error) -> assertThat(error.retryAfter()).contains(Duration.ofSeconds(7)));
		HttpHeaders date = new HttpHeaders();
		date.set(HttpHeaders.RETRY_AFTER, "Thu, 01 Jan 2026 00:00:30 GMT");
		SandboxerException asDate = this.failures.fromResponse("info", 429, date, new byte[0]);
		assertThat(asDate).isInstanceOfSatisfying(RateLimitException.class,
				(error) -> assertThat(error.retryAfter()).contains(Duration.ofSeconds(30)));
	}

	@Test
	void anyOtherStatusKeepsStatusVendorCodeAndARedactedExcerpt() {
		String body = "{\"error_code\":\"sandbox_create_failed\",\"detail\":\"used key " + KEY + "\"}";
		SandboxerException error = answer(500, body);
		assertThat(error).isExactlyInstanceOf(ProviderException.class).hasMessageNotContaining(KEY);
		ProviderException provider = (ProviderException) error;
		assertThat(provider.status()).contains(500);
		assertThat(provider.code()).contains("sandbox_create_failed");
		assertThat(provider.getMessage()).contains("used key ****");
		assertThat(provider.provider()).isEqualTo("acme");
	}

	@Test
	void aLongBodyIsCutToAShortSingleLine() {
		SandboxerException error = answer(502, "<html>\n" + "x".repeat(10_000) + "\n</html>");
		assertThat(error.getMessage()).hasSizeLessThan(300).doesNotContain("\n").endsWith("…");
	}

	@Test
	void a503KeepsItsRetryAfter() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "2");
		SandboxerException error = this.failures.fromResponse("info", 503, headers, new byte[0]);
		assertThat(((ProviderException) error).retryAfter()).contains(Duration.ofSeconds(2));
	}

	@Test
	void mapsTransportFailures() {
		assertThat(this.failures.fromTransport("info", "GET https://x/y", ReadTimeoutException.INSTANCE))
			.isInstanceOf(ProviderTimeoutException.class)
			.hasMessage("acme info: no answer from GET https://x/y in time");
		assertThat(this.failures.fromTransport("info", "GET https://x/y", new ConnectTimeoutException("slow")))
			.isInstanceOf(ProviderConnectionException.class)
			.hasMessageContaining("could not connect");
		assertThat(this.failures.fromTransport("info", "GET https://x/y",
				new RuntimeException(new ConnectException("Connection refused"))))
			.isInstanceOf(ProviderConnectionException.class)
			.hasMessageContaining("Connection refused");
		assertThat(this.failures.fromTransport("info", "GET https://x/y", PrematureCloseException.TEST_EXCEPTION))
			.isInstanceOf(ProviderConnectionException.class);
		assertThat(this.failures.fromTransport("info", "GET https://x/y", new IllegalStateException("odd " + KEY)))
			.isExactlyInstanceOf(ProviderException.class)
			.hasMessageNotContaining(KEY);
	}

	@Test
	void aTypedErrorInTheChainIsReturnedAsItIs() {
		NotFoundException typed = new NotFoundException("acme", "gone");
		assertThat(this.failures.fromTransport("info", "t", new RuntimeException(typed))).isSameAs(typed);
	}

	@Test
	void mapsConnectCodesThroughTheirStatus() {
		assertThat(this.failures.fromConnectError("stat", ConnectCode.NOT_FOUND, "no file"))
			.isInstanceOf(NotFoundException.class);
		assertThat(this.failures.fromConnectError("stat", ConnectCode.UNAUTHENTICATED, "who"))
			.isInstanceOf(UnauthorizedException.class);
		assertThat(this.failures.fromConnectError("stat", ConnectCode.PERMISSION_DENIED, "no"))
			.isInstanceOf(UnauthorizedException.class);
		assertThat(this.failures.fromConnectError("stat", ConnectCode.RESOURCE_EXHAUSTED, "full"))
			.isInstanceOf(RateLimitException.class);
		assertThat(this.failures.fromConnectError("stat", ConnectCode.DEADLINE_EXCEEDED, "late"))
			.isInstanceOf(ProviderTimeoutException.class);
		SandboxerException unavailable = this.failures.fromConnectError("stat", ConnectCode.UNAVAILABLE, "busy");
		assertThat(unavailable).isExactlyInstanceOf(ProviderException.class);
		assertThat(((ProviderException) unavailable).status()).contains(503);
		assertThat(((ProviderException) unavailable).code()).contains("unavailable");
	}

	private SandboxerException answer(int status, String body) {
		return this.failures.fromResponse("info", status, new HttpHeaders(), body.getBytes(StandardCharsets.UTF_8));
	}

	private static Redactor redactor() {
		Redactor redactor = new Redactor();
		redactor.addSecret(KEY);
		return redactor;
	}

}
