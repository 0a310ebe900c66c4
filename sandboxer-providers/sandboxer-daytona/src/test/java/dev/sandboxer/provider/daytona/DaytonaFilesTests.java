package dev.sandboxer.provider.daytona;

// Stubs follow daytonaio/daytona at commit b5a5d9e7: apps/daemon/pkg/toolbox/docs/swagger.yaml for the /files routes
// (path always a query value; GET /files/download -> application/octet-stream; POST /files/upload multipart "file";
// POST /files/folder?path&mode (octal); GET /files/info -> FileInfo; GET /files -> [FileInfo]; DELETE
// /files?recursive; POST /files/permissions?path&owner&mode) and apps/daemon/pkg/toolbox/fs/*.go for the bare 404
// (AbortWithError writes the status with no body) of a missing path. A sandbox that is gone is answered in front of
// the daemon with common-go's ErrorResponse (libs/common-go/pkg/errors/{http,middleware}.go): 404 NOT_FOUND "sandbox
// container not found" from the runner (apps/runner/pkg/api/controllers/proxy.go), 401 UNAUTHORIZED "authentication
// failed: Bearer token is invalid" from the proxy once the API no longer finds the sandbox (apps/proxy/pkg/proxy/
// auth.go, get_sandbox_target.go; the API's hasSandboxAccess answers 404 for it); the API's own 404 is NestJS's body
// (apps/api/src/filters/all-exceptions.filter.ts).

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.UnauthorizedException;
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
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.daytona.DaytonaStubs.API_KEY;
import static dev.sandboxer.provider.daytona.DaytonaStubs.TOOLBOX;
import static dev.sandboxer.provider.daytona.DaytonaStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaFilesTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SandboxProvider provider = DaytonaStubs.provider(wm);

	private final ProviderSandbox sandbox = DaytonaStubs.attach(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void readFileDownloadsEveryByteWithThePathAsAQueryValue() {
		byte[] content = allByteValues();
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/download")).willReturn(aResponse()
			.withHeader("Content-Type", "application/octet-stream")
			.withBody(content)));
		assertThat(await(this.sandbox.readFile("/home/daytona/a b&c+d.bin"))).isEqualTo(content);
		wm.verify(getRequestedFor(urlPathEqualTo(TOOLBOX + "/files/download"))
			.withQueryParam("path", equalTo("/home/daytona/a b&c+d.bin"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY)));
	}

	@Test
	void readFileStreamDeliversTheContentAsItArrives() throws Exception {
		byte[] content = new byte[3 * 1024 * 1024 + 7];
		new Random(7).nextBytes(content);
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/download")).willReturn(aResponse().withBody(content)));
		try (InputStream in = await(this.sandbox.readFileStream("/big.bin"))) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
	}

	@Test
	void aMissingFileIsNotFoundEvenWithTheToolboxsEmptyBody() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/download")).willReturn(aResponse().withStatus(404)));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.readFile("/nope")))
			.withMessageStartingWith("daytona readFile failed: HTTP 404");
	}

	@Test
	void writeFileUploadsTheBytesAsTheFilePartWithThePathInTheQuery() {
		byte[] content = allByteValues();
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/files/upload")).willReturn(okJson("{}")));
		await(this.sandbox.writeFile("/tmp/dir/x.bin", content, null, null));
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/files/upload"))
			.withQueryParam("path", equalTo("/tmp/dir/x.bin"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("Content-Type", containing("multipart/form-data"))
			.withRequestBodyPart(aMultipart().withName("file")
				.withHeader("Content-Disposition", containing("filename=\"x.bin\""))
				.withBody(binaryEqualTo(content))
				.build()));
		wm.verify(0, postRequestedFor(urlPathEqualTo(TOOLBOX + "/files/permissions")));
	}

	@Test
	void writeFileWithAModeAndAUserSetsThemAfterTheUpload() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/files/upload")).willReturn(okJson("{}")));
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/files/permissions")).willReturn(aResponse().withStatus(200)));
		await(this.sandbox.writeFile("/tmp/x.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0750, "bob"));
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/files/permissions"))
			.withQueryParam("path", equalTo("/tmp/x.sh"))
			.withQueryParam("mode", equalTo("750"))
			.withQueryParam("owner", equalTo("bob"))
			.withQueryParam("group", absent()));
	}

	@Test
	void aMebibyteOfRandomBytesRoundTrips() throws Exception {
		byte[] content = new byte[1024 * 1024];
		new Random(42).nextBytes(content);
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/files/upload")).willReturn(okJson("{}")));
		await(this.sandbox.writeFile("/tmp/random.bin", content, null, null));
		serveBackLastUpload();
		assertThat(await(this.sandbox.readFile("/tmp/random.bin"))).isEqualTo(content);
		await(this.sandbox.writeFileStream("/tmp/random2.bin", new ByteArrayInputStream(content), null, null));
		serveBackLastUpload();
		try (InputStream in = await(this.sandbox.readFileStream("/tmp/random2.bin"))) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
	}

	@Test
	void listDirectoryReadsTheToolboxsFileInfo() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files")).willReturn(okJson("""
				[{"name":"a b.txt","size":12,"mode":"-rw-r--r--","permissions":"0644","isDir":false,"owner":"1000",
				  "group":"1000","modTime":"x","modifiedAt":"2026-01-02T03:04:05Z"},
				 {"name":"sub","size":4096,"mode":"drwxr-x---","permissions":"0750","isDir":true,"owner":"0",
				  "group":"0","modTime":"x","modifiedAt":"2026-01-02T03:04:05Z"}]
				""")));
		List<FileInfo> entries = await(this.sandbox.listDirectory("/home/daytona/"));
		assertThat(entries).containsExactly(new FileInfo("a b.txt", "/home/daytona/a b.txt", false, 12, 0644),
				new FileInfo("sub", "/home/daytona/sub", true, 4096, 0750));
		wm.verify(getRequestedFor(urlPathEqualTo(TOOLBOX + "/files")).withQueryParam("path",
				equalTo("/home/daytona/")));
	}

	@Test
	void makeDirCreatesParentsWithMode755() {
		wm.stubFor(post(urlPathEqualTo(TOOLBOX + "/files/folder")).willReturn(aResponse().withStatus(201)));
		await(this.sandbox.makeDir("/tmp/a/b"));
		wm.verify(postRequestedFor(urlPathEqualTo(TOOLBOX + "/files/folder")).withQueryParam("path", equalTo("/tmp/a/b"))
			.withQueryParam("mode", equalTo("755")));
	}

	@Test
	void removeDeletesRecursively() {
		wm.stubFor(delete(urlPathEqualTo(TOOLBOX + "/files")).willReturn(aResponse().withStatus(204)));
		await(this.sandbox.remove("/tmp/$(rm -rf ~)"));
		wm.verify(deleteRequestedFor(urlPathEqualTo(TOOLBOX + "/files")).withQueryParam("path",
				equalTo("/tmp/$(rm -rf ~)"))
			.withQueryParam("recursive", equalTo("true")));
	}

	@Test
	void existsAsksForTheFileInfo() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/info")).withQueryParam("path", equalTo("/there"))
			.willReturn(okJson("{\"name\":\"there\",\"isDir\":true,\"size\":0}")));
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/info")).withQueryParam("path", equalTo("/gone"))
			.willReturn(aResponse().withStatus(404)));
		assertThat(await(this.sandbox.exists("/there"))).isTrue();
		assertThat(await(this.sandbox.exists("/gone"))).isFalse();
		wm.verify(getRequestedFor(urlPathEqualTo(TOOLBOX + "/files/info")).withQueryParam("path", equalTo("/gone"))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY)));
	}

	@Test
	void existsTellsTheRunnersFourOhFourForAGoneSandboxFromAMissingFile() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/info")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody("{\"statusCode\":404,\"message\":\"not found: sandbox container not found: Error response from "
					+ "daemon: No such container: sb-7f3a9c21\",\"code\":\"NOT_FOUND\",\"timestamp\":"
					+ "\"2026-01-02T03:04:05Z\",\"path\":\"/sandboxes/sb-7f3a9c21/toolbox/files/info\",\"method\":\"GET\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.exists("/x")))
			.withMessageContaining("sandbox container not found")
			.withMessageContaining("NOT_FOUND");
	}

	@Test
	void existsTellsTheProxysFourOhOneForAGoneSandboxFromABadKey() {
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/info")).willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody("{\"statusCode\":401,\"message\":\"unauthorized: authentication failed: Bearer token is "
					+ "invalid\",\"code\":\"UNAUTHORIZED\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"path\":"
					+ "\"/toolbox/sb-7f3a9c21/files/info\",\"method\":\"GET\"}")));
		// The API still knows the sandbox: the 401 stays what it is.
		wm.stubFor(get(urlPathEqualTo("/api/sandbox/" + DaytonaStubs.SANDBOX_ID)).willReturn(okJson(
				DaytonaStubs.sandbox(wm, DaytonaStubs.SANDBOX_ID, "started"))));
		assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> await(this.sandbox.exists("/x")))
			.withMessageContaining("Bearer token is invalid");
		// The API no longer knows it: the sandbox is gone.
		wm.stubFor(get(urlPathEqualTo("/api/sandbox/" + DaytonaStubs.SANDBOX_ID)).willReturn(aResponse()
			.withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"path\":\"/api/sandbox/sb-7f3a9c21\",\"timestamp\":\"2026-01-02T03:04:05.000Z\","
					+ "\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"Sandbox with ID sb-7f3a9c21 not found\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.exists("/x")))
			.withMessageContaining("the sandbox sb-7f3a9c21 is gone")
			.withMessageContaining("Bearer token is invalid");
		wm.verify(2, getRequestedFor(urlPathEqualTo("/api/sandbox/" + DaytonaStubs.SANDBOX_ID))
			.withHeader("Authorization", equalTo("Bearer " + API_KEY)));
	}

	private static byte[] allByteValues() {
		byte[] content = new byte[256];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) i;
		}
		return content;
	}

	/** Stubs the download with the bytes of the last upload's "file" part, as the toolbox would have stored them. */
	private static void serveBackLastUpload() {
		List<LoggedRequest> uploads = wm.findAll(postRequestedFor(urlPathEqualTo(TOOLBOX + "/files/upload")));
		byte[] uploaded = uploads.get(uploads.size() - 1).getPart("file").getBody().asBytes();
		wm.stubFor(get(urlPathEqualTo(TOOLBOX + "/files/download"))
			.willReturn(aResponse().withHeader("Content-Type", "application/octet-stream").withBody(uploaded)));
	}

}
