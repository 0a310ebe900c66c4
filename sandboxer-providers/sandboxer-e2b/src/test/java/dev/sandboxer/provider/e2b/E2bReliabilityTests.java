package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973 (spec/envd/process/process.proto: ProcessEvent's oneof start, data,
// end, keepalive; SendSignal with a ProcessSelector by pid or tag; spec/openapi.yml GET /v2/sandboxes with
// metadata "k=v&k2=v2", each key and value URL-encoded as the JS SDK's encodeURIComponent does) and e2b-dev/infra's
// sandbox proxy (packages/shared/pkg/proxy/template/sandbox_paused.go: 409 {sandboxId, message "The sandbox is
// paused", code, canAutoResume}). Streams are Connect envelopes (application/connect+json).

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.AsyncSandbox;
import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.CommandOutputListener;
import dev.sandboxer.PtyListener;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.FileTooLargeException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.ProviderTimeoutException;
import dev.sandboxer.http.Envelopes;
import dev.sandboxer.http.VendorHttpClient;
import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.e2b.E2bStubs.await;
import static dev.sandboxer.provider.e2b.E2bStubs.end;
import static dev.sandboxer.provider.e2b.E2bStubs.endOfStream;
import static dev.sandboxer.provider.e2b.E2bStubs.start;
import static dev.sandboxer.provider.e2b.E2bStubs.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Cancel, bounded waits, bounded memory, callbacks off the event loop and the errors E2B users meet. */
class E2bReliabilityTests {

	private static final String START = "process.Process/Start";

	private static final String SIGNAL = "process.Process/SendSignal";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	private final ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void aStartThatOnlyEverSendsKeepalivesEndsWithATimeoutAndKillsTheProcessByItsTag() {
		stubKeepalivesOnly();
		E2bStubs.stubUnary(wm, SIGNAL, 200, "{}");
		CompletableFuture<CommandHandle> starting = this.sandbox.startCommand(StartCommandRequest.of("sleep 600"));
		assertThatExceptionOfType(ProviderTimeoutException.class).isThrownBy(() -> await(starting))
			.withMessageContaining("no start event");
		awaitSignalByTag();
	}

	@Test
	void aCancelledStartStopsItsStreamAndKillsTheProcessByItsTag() {
		stubKeepalivesOnly();
		E2bStubs.stubUnary(wm, SIGNAL, 200, "{}");
		CompletableFuture<CommandHandle> starting = this.sandbox.startCommand(StartCommandRequest.of("sleep 600"));
		Awaitility.await().atMost(E2bStubs.LIMIT).until(() -> !wm.findAll(postRequestedFor(urlPathEqualTo("/" + START))).isEmpty());
		starting.cancel(true);
		awaitSignalByTag();
	}

	@Test
	void cancellingARunningCommandThroughTheClientKillsItInTheSandbox() {
		byte[] keepalive = Envelopes.message("{\"event\":{\"keepalive\":{}}}");
		byte[][] stream = new byte[21][];
		java.util.Arrays.fill(stream, keepalive);
		stream[0] = start(77);
		wm.stubFor(post(urlPathEqualTo("/" + START)).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.concat(stream))
			// Two chunks: the first (start event and some keepalives) at once, the rest a minute later.
			.withChunkedDribbleDelay(2, 60_000)));
		E2bStubs.stubUnary(wm, SIGNAL, 200, "{}");
		stubAttach();
		AsyncSandboxer client = Sandboxer.builder("e2b").provider(E2bStubs.provider(wm)).buildAsync();
		AsyncSandbox attached = await(client.attachSandbox(E2bStubs.SANDBOX_ID));
		CompletableFuture<?> running = attached.runCommand(RunCommandRequest.of("sleep 600"));
		Awaitility.await().atMost(E2bStubs.LIMIT).until(() -> !wm.findAll(postRequestedFor(urlPathEqualTo("/" + START))).isEmpty());
		// Cancelled before or after the start event arrived: by pid or by tag, the process is killed.
		running.cancel(true);
		Awaitility.await()
			.atMost(E2bStubs.LIMIT)
			.untilAsserted(() -> wm.verify(postRequestedFor(urlPathEqualTo("/" + SIGNAL))
				.withRequestBody(matching(".*(\"pid\":77|\"tag\":\"sandboxer-run-).*"))));
		client.close();
	}

	@Test
	void aTerminalThatNeverStartsEndsWithATimeout() {
		stubKeepalivesOnly();
		E2bStubs.stubUnary(wm, SIGNAL, 200, "{}");
		CompletableFuture<PtyInfo> opening = this.sandbox.createPty(CreatePtyRequest.builder().build(), PtyListener.NONE);
		assertThatExceptionOfType(ProviderTimeoutException.class).isThrownBy(() -> await(opening));
		awaitSignalByTag();
	}

	@Test
	void outputListenersAndUserCallbacksNeverRunOnAnEventLoop() {
		E2bStubs.stubStream(wm, START, start(7), stdout("a\n".getBytes()), end("{\"exitCode\":0,\"exited\":true}"),
				endOfStream());
		List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
		E2bStubs.await(this.sandbox.runCommand(RunCommandRequest.of("echo a"), new CommandOutputListener() {
			@Override
			public void onStdout(String text) {
				listenerThreads.add(Thread.currentThread());
			}
		}));
		assertThat(listenerThreads).isNotEmpty()
			.noneMatch(VendorHttpClient::isEventLoopThread);
		stubAttach();
		AsyncSandboxer client = Sandboxer.builder("e2b").provider(E2bStubs.provider(wm)).buildAsync();
		AsyncSandbox attached = await(client.attachSandbox(E2bStubs.SANDBOX_ID));
		Thread callback = await(attached.info().thenApply((info) -> Thread.currentThread()));
		assertThat(VendorHttpClient.isEventLoopThread(callback)).isFalse();
		client.close();
	}

	@Test
	void aBlockingCallOnANonBlockingThreadFailsFast() {
		stubAttach();
		Sandboxer client = Sandboxer.builder("e2b").provider(E2bStubs.provider(wm)).build();
		Sandbox attached = client.attachSandbox(E2bStubs.SANDBOX_ID);
		Object failure = Mono.fromCallable(attached::info)
			.subscribeOn(Schedulers.parallel())
			.map(Object.class::cast)
			.onErrorResume(Mono::just)
			.block(E2bStubs.LIMIT);
		assertThat(failure).isInstanceOf(IllegalStateException.class);
		assertThat((Throwable) failure).hasMessageContaining("event-loop thread of provider 'e2b'");
		client.close();
	}

	@Test
	void aPausedSandboxIsSaidToBePaused() {
		wm.stubFor(post(urlPathEqualTo("/filesystem.Filesystem/ListDir")).willReturn(aResponse().withStatus(409)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"sandboxId\":\"" + E2bStubs.SANDBOX_ID
					+ "\",\"message\":\"The sandbox is paused\",\"code\":409,\"canAutoResume\":false}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(this.sandbox.listDirectory("/")))
			.withMessageContaining("sandbox " + E2bStubs.SANDBOX_ID + " is paused")
			.withMessageNotContaining("gone")
			.satisfies((ex) -> assertThat(ex.code()).hasValue(Envd.SANDBOX_PAUSED));
	}

	@Test
	void metadataWithReservedCharactersIsEncodedOnceMoreInsideTheQuery() {
		wm.stubFor(get(urlPathEqualTo("/v2/sandboxes")).willReturn(okJson("[]")));
		await(this.provider.listSandboxes(ListSandboxesFilter.builder().metadata("k=1", "a&b=c+d%e").build()));
		wm.verify(getRequestedFor(urlPathEqualTo("/v2/sandboxes"))
			.withQueryParam("metadata", equalTo("k%3D1=a%26b%3Dc%2Bd%25e")));
	}

	@Test
	void readFileStopsAtItsLimitAndPointsToTheStream() {
		wm.stubFor(get(urlPathEqualTo("/files")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/octet-stream")
			.withBody(new byte[4096])));
		assertThatExceptionOfType(FileTooLargeException.class)
			.isThrownBy(() -> await(this.sandbox.readFile("/big", 1024)))
			.withMessageContaining("readFileStream");
	}

	@Test
	void finishedBackgroundCommandsNobodyWaitsForAreEvicted() {
		E2bStubs.stubStream(wm, START, start(9), end("{\"exitCode\":0,\"exited\":true}"), endOfStream());
		for (int i = 0; i < EnvdProcesses.MAX_FINISHED_KEPT + 10; i++) {
			await(this.sandbox.startCommand(StartCommandRequest.of("true")));
		}
		Awaitility.await()
			.atMost(E2bStubs.LIMIT)
			.until(() -> ((E2bSandbox) this.sandbox).keptCommands() <= EnvdProcesses.MAX_FINISHED_KEPT);
		this.sandbox.startCommand(StartCommandRequest.of("true")).join();
		assertThat(((E2bSandbox) this.sandbox).keptCommands()).isLessThanOrEqualTo(EnvdProcesses.MAX_FINISHED_KEPT + 1);
	}

	@Test
	void recordsThatHoldTokensDoNotShowThem() {
		ControlPlaneJson.CreatedSandbox created = new ControlPlaneJson.CreatedSandbox("s", "t", null, null, "0.5.8",
				E2bStubs.ACCESS_TOKEN, "traffic-token-123456", null);
		assertThat(created.toString()).doesNotContain(E2bStubs.ACCESS_TOKEN).doesNotContain("traffic-token-123456");
	}

	private static void stubAttach() {
		wm.stubFor(get(urlPathEqualTo("/sandboxes/" + E2bStubs.SANDBOX_ID))
			.willReturn(okJson(E2bStubs.detail("0.5.8", "running"))));
	}

	private static void stubKeepalivesOnly() {
		byte[] keepalive = Envelopes.message("{\"event\":{\"keepalive\":{}}}");
		byte[][] many = new byte[40][];
		java.util.Arrays.fill(many, keepalive);
		wm.stubFor(post(urlPathEqualTo("/" + START)).willReturn(aResponse()
			.withHeader("Content-Type", "application/connect+json")
			.withBody(Envelopes.concat(many))
			// Forty keepalives over a minute: the stream stays busy far longer than any wait allowed here.
			.withChunkedDribbleDelay(40, 60_000)));
	}

	private static void awaitSignalByTag() {
		Awaitility.await()
			.atMost(E2bStubs.LIMIT)
			.untilAsserted(() -> wm.verify(postRequestedFor(urlPathEqualTo("/" + SIGNAL))
				.withRequestBody(containing("\"tag\":\"sandboxer-"))
				.withRequestBody(containing("SIGNAL_SIGKILL"))));
	}

}
