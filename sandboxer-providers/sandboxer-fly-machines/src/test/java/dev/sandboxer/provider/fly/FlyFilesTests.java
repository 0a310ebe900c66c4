package dev.sandboxer.provider.fly;

// Stubs follow superfly/docs api/machines/openapi.json at commit 462dcb9037e57d4c21a336289db3e0b9378d15ab
// (Machines_exec: MachineExecRequest {command, stdin, timeout}, flydv1.ExecResponse {exit_code, stdout, stderr}).
// FakeMachineFiles plays the machine for the round trips.

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.Sandbox;
import dev.sandboxer.Sandboxer;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.fly.FlyStubs.EXEC;
import static dev.sandboxer.provider.fly.FlyStubs.JSON;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE;
import static dev.sandboxer.provider.fly.FlyStubs.MACHINE_ID;
import static dev.sandboxer.provider.fly.FlyStubs.execAnswer;
import static dev.sandboxer.provider.fly.FlyStubs.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FlyFilesTests {

	private static final FakeMachineFiles fake = new FakeMachineFiles();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(fake))
		.build();

	private Sandboxer sandboxer;

	private Sandbox sandbox;

	@BeforeEach
	void attach() {
		fake.files.clear();
		fake.modes.clear();
		fake.requestSizes.clear();
		wm.stubFor(get(urlPathEqualTo(MACHINE)).willReturn(okJson(machine("started"))));
		this.sandboxer = Sandboxer.builder("fly-machines").config(FlyStubs.config(wm).build()).build();
		this.sandbox = this.sandboxer.attachSandbox(MACHINE_ID);
	}

	@AfterEach
	void close() {
		this.sandboxer.close();
	}

	private static void fakeMachine() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson("{}").withTransformers(FakeMachineFiles.NAME)));
	}

	@Test
	void oneMebibyteOfRandomBytesRoundTripsExactlyInBoundedChunks() {
		fakeMachine();
		byte[] content = new byte[1024 * 1024];
		new Random(11).nextBytes(content);
		this.sandbox.writeFile("/data/blob.bin", content, 0640, null);
		assertThat(fake.files).containsKey("/data/blob.bin");
		assertThat(fake.modes).containsEntry("/data/blob.bin", 0640);
		assertThat(this.sandbox.readFile("/data/blob.bin")).isEqualTo(content);
		// 4 chunks up, 1 commit, 4 chunks down; no exec body carries much more than one base64 chunk.
		wm.verify(9, postRequestedFor(urlEqualTo(EXEC)));
		assertThat(fake.requestSizes).allSatisfy((size) -> assertThat(size).isLessThan(400_000));
	}

	@Test
	void streamsRoundTripWithoutHoldingTheWholeFile() throws Exception {
		fakeMachine();
		byte[] content = new byte[GuestFiles.CHUNK_BYTES * 2 + 12345];
		new Random(7).nextBytes(content);
		this.sandbox.writeFile("/data/stream.bin", new ByteArrayInputStream(content), null, null);
		try (InputStream in = this.sandbox.readFileStream("/data/stream.bin")) {
			// The first chunk arrives with the open; the rest as it is read.
			wm.verify(4 + 1, postRequestedFor(urlEqualTo(EXEC)));
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		wm.verify(4 + 3, postRequestedFor(urlEqualTo(EXEC)));
	}

	@Test
	void anEmptyFileRoundTrips() {
		fakeMachine();
		this.sandbox.writeFile("/empty", new byte[0]);
		assertThat(this.sandbox.readFile("/empty")).isEmpty();
	}

	@Test
	void aWriteSendsItsPathsAsArgumentsAndItsBytesAsBase64OnStdin() throws Exception {
		fakeMachine();
		String path = "/tmp/it's $(touch x) a \"file\".txt";
		this.sandbox.writeFile(path, "héllo".getBytes(StandardCharsets.UTF_8), null, "app_user");
		List<JsonNode> bodies = wm.findAll(postRequestedFor(urlEqualTo(EXEC)))
			.stream()
			.map((request) -> JSON.readTree(request.getBodyAsString()))
			.toList();
		assertThat(bodies).hasSize(2);
		JsonNode write = bodies.get(0);
		assertThat(write.get("command").get(0).asString()).isEqualTo("/bin/sh");
		assertThat(write.get("command").get(2).asString()).isEqualTo(GuestFiles.WRITE_CHUNK);
		assertThat(write.get("command").get(4).asString()).startsWith("/tmp/.sandboxer-upload-");
		assertThat(write.get("command").get(5).asString()).isEqualTo("/tmp");
		assertThat(write.get("command").get(6).asString()).isEqualTo("new");
		assertThat(Base64.getDecoder().decode(write.get("stdin").asString()))
			.isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
		assertThat(write.get("timeout").asInt()).isEqualTo(2);
		JsonNode commit = bodies.get(1);
		assertThat(commit.get("command").get(2).asString()).isEqualTo(GuestFiles.COMMIT);
		assertThat(commit.get("command").get(5).asString()).isEqualTo(path);
		assertThat(commit.get("command").get(6).asString()).isEmpty();
		assertThat(commit.get("command").get(7).asString()).isEqualTo("app_user");
		assertThat(this.sandbox.readFile("tmp/../tmp/it's $(touch x) a \"file\".txt"))
			.isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aFailedChunkRemovesTheTemporaryFile() {
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.WRITE_CHUNK)))
			.willReturn(okJson(execAnswer(1, "", "base64: invalid input"))));
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.ABORT)))
			.willReturn(okJson(execAnswer(0, "", ""))));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.sandbox.writeFile("/x.bin", new byte[] { 1, 2, 3 }))
			.withMessageContaining("base64: invalid input");
		wm.verify(postRequestedFor(urlEqualTo(EXEC))
			.withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.ABORT)))
			.withRequestBody(matchingJsonPath("$.command[4]", matching("/\\.sandboxer-upload-[0-9a-f]{32}"))));
	}

	@Test
	void readingAMissingFileIsNotFound() {
		fakeMachine();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandbox.readFile("/nope"))
			.withMessageContaining("/nope");
	}

	@Test
	void anImageWithoutBase64IsSaidPlainly() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(127, "", "sh: base64: not found"))));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandbox.readFile("/etc/hosts"))
			.withMessageContaining("lacks a tool")
			.satisfies((error) -> assertThat(error.code()).contains("missing_tool"));
	}

	@Test
	void listDirectoryParsesEveryNameExactly() throws Exception {
		String records = "d 4096 755/sub dir\0f 12 644/.hidden\0f 3 600/line\nbreak\0f 5 644/ünï'cøde\0"
				+ "f - -/dangling\0";
		String listing = Base64.getMimeEncoder().encodeToString(records.getBytes(StandardCharsets.UTF_8));
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(0, listing, ""))));
		List<FileInfo> entries = this.sandbox.listDirectory("/home/app/");
		assertThat(entries).containsExactly(new FileInfo("sub dir", "/home/app/sub dir", true, 4096, 0755),
				new FileInfo(".hidden", "/home/app/.hidden", false, 12, 0644),
				new FileInfo("line\nbreak", "/home/app/line\nbreak", false, 3, 0600),
				new FileInfo("ünï'cøde", "/home/app/ünï'cøde", false, 5, 0644),
				new FileInfo("dangling", "/home/app/dangling", false, 0, null));
		JsonNode body = JSON.readTree(wm.findAll(postRequestedFor(urlEqualTo(EXEC))).get(0).getBodyAsString());
		assertThat(body.get("command").get(2).asString()).isEqualTo(GuestFiles.LIST);
		assertThat(body.get("command").get(4).asString()).isEqualTo("/home/app");
	}

	@Test
	void listingAMissingDirectoryIsNotFoundAndAFileIsAnError() {
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(44, "", ""))));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandbox.listDirectory("/nope"));
		wm.stubFor(post(urlEqualTo(EXEC)).willReturn(okJson(execAnswer(20, "", ""))));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> this.sandbox.listDirectory("/etc/hosts"))
			.satisfies((error) -> assertThat(error.code()).contains("not_a_directory"));
	}

	@Test
	void existsMakeDirAndRemoveRunTheirScriptsWithThePathAsAnArgument() {
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.EXISTS)))
			.withRequestBody(matchingJsonPath("$.command[4]", equalTo("/a b")))
			.willReturn(okJson(execAnswer(0, "", ""))));
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.EXISTS)))
			.withRequestBody(matchingJsonPath("$.command[4]", equalTo("/missing")))
			.willReturn(okJson(execAnswer(1, "", ""))));
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.MAKE_DIR)))
			.withRequestBody(matchingJsonPath("$.command[4]", equalTo("/x/y/z")))
			.willReturn(okJson(execAnswer(0, "", ""))));
		wm.stubFor(post(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.command[2]", equalTo(GuestFiles.REMOVE)))
			.willReturn(okJson(execAnswer(44, "", ""))));
		assertThat(this.sandbox.exists("/a b")).isTrue();
		assertThat(this.sandbox.exists("/missing")).isFalse();
		this.sandbox.makeDir("x/y/./z");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandbox.remove("/gone"));
	}

	@Test
	void theFileTimeoutIsTheProvidersDefault() {
		fakeMachine();
		this.sandbox.writeFile("/t", new byte[] { 1 });
		wm.verify(postRequestedFor(urlEqualTo(EXEC)).withRequestBody(matchingJsonPath("$.timeout", equalTo(
				Long.toString(Duration.ofSeconds(2).toSeconds())))));
	}

}
