package dev.sandboxer.provider.e2b;

// Stubs follow e2b-dev/E2B at commit b8029973: spec/envd/envd.yaml (envd API 0.1.3) for GET/POST /files
// (query parameters path and username, multipart/form-data upload with a "file" part, 200 UploadSuccess
// EntryInfo[], 404 FileNotFound {message, code}) and spec/envd/filesystem/filesystem.proto (filesystem.Filesystem
// ListDir, MakeDir, Remove, Stat) in the proto3 JSON mapping (int64 size as a string, enums by name) over Connect
// unary (connectrpc/connectrpc.com docs/protocol.md at c72686b6).

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.spi.ProviderSandbox;
import dev.sandboxer.spi.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.e2b.E2bStubs.ACCESS_TOKEN;
import static dev.sandboxer.provider.e2b.E2bStubs.SANDBOX_ID;
import static dev.sandboxer.provider.e2b.E2bStubs.await;
import static dev.sandboxer.provider.e2b.E2bStubs.end;
import static dev.sandboxer.provider.e2b.E2bStubs.endOfStream;
import static dev.sandboxer.provider.e2b.E2bStubs.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class E2bFilesTests {

	private static final String UPLOADED = "[{\"path\":\"/tmp/x.bin\",\"name\":\"x.bin\",\"type\":\"file\"}]";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = E2bStubs.provider(wm);

	private final ProviderSandbox sandbox = E2bStubs.attach(wm, this.provider, "0.5.8");

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void readFileGetsEveryByteWithThePathAsAQueryParameter() {
		byte[] content = allByteValues();
		wm.stubFor(get(urlPathEqualTo("/files")).willReturn(aResponse()
			.withHeader("Content-Type", "application/octet-stream")
			.withBody(content)));
		assertThat(await(this.sandbox.readFile("/home/user/a b&c.bin"))).isEqualTo(content);
		wm.verify(getRequestedFor(urlPathEqualTo("/files")).withQueryParam("path", equalTo("/home/user/a b&c.bin"))
			.withQueryParam("username", absent())
			.withHeader("X-Access-Token", equalTo(ACCESS_TOKEN))
			.withHeader("E2b-Sandbox-Id", equalTo(SANDBOX_ID))
			.withHeader("E2b-Sandbox-Port", equalTo("49983")));
	}

	@Test
	void readFileStreamDeliversTheContentAsItArrives() throws Exception {
		byte[] content = new byte[3 * 1024 * 1024 + 7];
		new Random(7).nextBytes(content);
		wm.stubFor(get(urlPathEqualTo("/files")).willReturn(aResponse().withBody(content)));
		try (InputStream in = await(this.sandbox.readFileStream("/big.bin"))) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
	}

	@Test
	void aMissingFileIsNotFound() {
		wm.stubFor(get(urlPathEqualTo("/files")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"path '/nope' does not exist\",\"code\":404}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.readFile("/nope")))
			.withMessage("e2b readFile failed: HTTP 404: path '/nope' does not exist");
	}

	@Test
	void envdBeforeTheDefaultUserIsToldTheUser() {
		SandboxProvider old = E2bStubs.provider(wm);
		try {
			ProviderSandbox legacy = E2bStubs.attach(wm, old, "0.3.2");
			wm.stubFor(get(urlPathEqualTo("/files")).willReturn(aResponse().withBody("x")));
			await(legacy.readFile("notes.txt"));
			wm.verify(getRequestedFor(urlPathEqualTo("/files")).withQueryParam("username", equalTo("user")));
		}
		finally {
			old.close();
		}
	}

	@Test
	void writeFileUploadsTheBytesAsTheFilePartWithPathAndUsername() {
		byte[] content = allByteValues();
		wm.stubFor(post(urlPathEqualTo("/files")).willReturn(okJson(UPLOADED)));
		await(this.sandbox.writeFile("/tmp/x.bin", content, null, "bob"));
		wm.verify(postRequestedFor(urlPathEqualTo("/files")).withQueryParam("path", equalTo("/tmp/x.bin"))
			.withQueryParam("username", equalTo("bob"))
			.withHeader("Content-Type", containing("multipart/form-data"))
			.withHeader("X-Access-Token", equalTo(ACCESS_TOKEN))
			.withRequestBodyPart(aMultipart().withName("file")
				.withHeader("Content-Type", containing("application/octet-stream"))
				.withBody(binaryEqualTo(content))
				.build()));
		wm.verify(0, postRequestedFor(urlPathEqualTo("/process.Process/Start")));
	}

	@Test
	void writeFileWithAModeRunsChmodWithoutAShell() {
		wm.stubFor(post(urlPathEqualTo("/files")).willReturn(okJson(UPLOADED)));
		E2bStubs.stubStream(wm, "process.Process/Start", start(3), end("{\"exited\":true}"), endOfStream());
		await(this.sandbox.writeFile("/tmp/x.bin", "hi".getBytes(StandardCharsets.UTF_8), 0640, "bob"));
		assertThat(E2bStubs.sentEnvelope(wm, "process.Process/Start"))
			.isEqualTo("{\"process\":{\"cmd\":\"chmod\",\"args\":[\"--\",\"640\",\"/tmp/x.bin\"]},\"stdin\":false}");
		wm.verify(postRequestedFor(urlPathEqualTo("/process.Process/Start")).withHeader("Authorization",
				equalTo("Basic " + Base64.getEncoder().encodeToString("bob:".getBytes()))));
	}

	@Test
	void aFailingChmodIsReported() {
		wm.stubFor(post(urlPathEqualTo("/files")).willReturn(okJson(UPLOADED)));
		E2bStubs.stubStream(wm, "process.Process/Start", start(3), E2bStubs.stderr("chmod: Operation not permitted\n"),
				end("{\"exitCode\":1,\"exited\":true}"), endOfStream());
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.writeFile("/etc/x", new byte[] { 1 }, 0600, null)))
			.withMessageContaining("chmod 600 failed with exit code 1: chmod: Operation not permitted");
	}

	@Test
	void writeFileStreamUploadsFromTheStreamAndClosesIt() {
		byte[] content = new byte[2 * 1024 * 1024 + 13];
		new Random(3).nextBytes(content);
		AtomicBoolean closed = new AtomicBoolean();
		InputStream in = new ByteArrayInputStream(content) {
			@Override
			public void close() {
				closed.set(true);
			}
		};
		wm.stubFor(post(urlPathEqualTo("/files")).willReturn(okJson(UPLOADED)));
		await(this.sandbox.writeFileStream("/data/blob", in, null, null));
		wm.verify(postRequestedFor(urlPathEqualTo("/files")).withQueryParam("path", equalTo("/data/blob"))
			.withRequestBodyPart(aMultipart().withName("file").withBody(binaryEqualTo(content)).build()));
		assertThat(closed).isTrue();
	}

	@Test
	void listDirectoryMapsEntryInfo() {
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/ListDir", 200, """
				{"entries":[
				 {"name":"src","type":"FILE_TYPE_DIRECTORY","path":"/home/user/src","size":"4096","mode":493,
				  "permissions":"drwxr-xr-x","owner":"user","group":"user","modifiedTime":"2026-01-02T03:04:05Z"},
				 {"name":"a b.txt","type":"FILE_TYPE_FILE","path":"/home/user/a b.txt","size":"12","mode":420},
				 {"name":"link","type":"FILE_TYPE_SYMLINK","path":"/home/user/link","symlinkTarget":"/etc"},
				 {"name":"empty","type":"FILE_TYPE_FILE","path":"/home/user/empty"}]}
				""");
		List<FileInfo> entries = await(this.sandbox.listDirectory("/home/user"));
		assertThat(entries).containsExactly(new FileInfo("src", "/home/user/src", true, 4096, 0755),
				new FileInfo("a b.txt", "/home/user/a b.txt", false, 12, 0644),
				new FileInfo("link", "/home/user/link", false, 0, null),
				new FileInfo("empty", "/home/user/empty", false, 0, null));
		wm.verify(postRequestedFor(urlPathEqualTo("/filesystem.Filesystem/ListDir"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withHeader("Connect-Protocol-Version", equalTo("1"))
			.withHeader("X-Access-Token", equalTo(ACCESS_TOKEN))
			.withRequestBody(equalToJson("{\"path\":\"/home/user\",\"depth\":1}")));
	}

	@Test
	void makeDirCallsMakeDirAndAnExistingDirectoryIsFine() {
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/MakeDir", 409,
				"{\"code\":\"already_exists\",\"message\":\"directory already exists\"}");
		await(this.sandbox.makeDir("/home/user/new/deep"));
		wm.verify(postRequestedFor(urlPathEqualTo("/filesystem.Filesystem/MakeDir"))
			.withRequestBody(equalToJson("{\"path\":\"/home/user/new/deep\"}")));
	}

	@Test
	void removeCallsRemoveAndAMissingPathIsNotFound() {
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/Remove", 200, "{}");
		await(this.sandbox.remove("/tmp/old"));
		wm.verify(postRequestedFor(urlPathEqualTo("/filesystem.Filesystem/Remove"))
			.withRequestBody(equalToJson("{\"path\":\"/tmp/old\"}")));
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/Remove", 404,
				"{\"code\":\"not_found\",\"message\":\"file not found: stat /tmp/old: no such file or directory\"}");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.remove("/tmp/old")));
	}

	@Test
	void existsIsTrueForADirectoryAndFalseForAMissingPath() {
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/Stat", 200,
				"{\"entry\":{\"name\":\"src\",\"type\":\"FILE_TYPE_DIRECTORY\",\"path\":\"/src\"}}");
		assertThat(await(this.sandbox.exists("/src"))).isTrue();
		wm.verify(postRequestedFor(urlPathEqualTo("/filesystem.Filesystem/Stat"))
			.withRequestBody(equalToJson("{\"path\":\"/src\"}")));
		E2bStubs.stubUnary(wm, "filesystem.Filesystem/Stat", 404,
				"{\"code\":\"not_found\",\"message\":\"file not found\"}");
		assertThat(await(this.sandbox.exists("/nope"))).isFalse();
	}

	@Test
	void existsOnASandboxThatIsGoneIsNotFoundNotFalse() {
		wm.stubFor(post(urlPathEqualTo("/filesystem.Filesystem/Stat")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"sandboxId\":\"" + SANDBOX_ID + "\",\"message\":\"The sandbox was not found\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.exists("/src")))
			.withMessageContaining("is gone");
	}

	private static byte[] allByteValues() {
		byte[] content = new byte[512];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) i;
		}
		return content;
	}

}
