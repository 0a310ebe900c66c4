package dev.sandboxer.provider.blaxel;

// Stubs follow blaxel-ai/sandbox at bfecd2e7da6a726d6bbd8c010b511a6f9fc43121: sandbox-api/docs/openapi.yml
// (/filesystem/{path}: Directory, File, FileRequest, ErrorResponse) and src/handler/filesystem.go (an absolute path
// arrives with %2F; octet-stream downloads carry Content-Disposition; multipart writes read "permissions" then "file").

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.API_KEY;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.SANDBOX_PATH;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.WORKSPACE;
import static dev.sandboxer.provider.blaxel.BlaxelStubs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlaxelFilesTests {

	/** Serves back the bytes of the last uploaded "file" part, as sandbox-api would serve the file it wrote. */
	static final class Replay implements ResponseTransformerV2 {

		static final AtomicReference<byte[]> stored = new AtomicReference<>(new byte[0]);

		@Override
		public Response transform(Response response, ServeEvent serveEvent) {
			Request request = serveEvent.getRequest();
			if (request.getMethod().getName().equals("PUT")) {
				stored.set(request.getPart("file").getBody().asBytes());
				return response;
			}
			return Response.Builder.like(response).but().body(stored.get()).build();
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public String getName() {
			return "replay";
		}

	}

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(new Replay()))
		.build();

	private final SandboxProvider provider = BlaxelStubs.provider(wm);

	private final ProviderSandbox sandbox = BlaxelStubs.attached(wm, this.provider);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void aMebibyteOfRandomBytesRoundTripsThroughAMultipartWriteAndAnOctetStreamRead() {
		byte[] content = new byte[1024 * 1024];
		new Random(42).nextBytes(content);
		String file = SANDBOX_PATH + "/filesystem/%2Ftmp%2Fdata%20set%2Fblob.bin";
		wm.stubFor(put(urlEqualTo(file)).willReturn(okJson("{\"message\":\"Binary file uploaded successfully\"}")
			.withTransformers("replay")));
		wm.stubFor(get(urlEqualTo(file)).withHeader("Accept", equalTo("application/octet-stream"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/octet-stream")
				.withHeader("Content-Disposition", "attachment; filename=\"blob.bin\"")
				.withTransformers("replay")));

		await(this.sandbox.writeFile("/tmp/data set/blob.bin", content, 0640, null));
		byte[] read = await(this.sandbox.readFile("/tmp/data set/blob.bin"));

		assertThat(read).isEqualTo(content);
		wm.verify(putRequestedFor(urlEqualTo(file)).withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE))
			.withHeader("Content-Type", containing("multipart/form-data"))
			.withRequestBodyPart(aMultipart("permissions").withBody(equalTo("0640")).build())
			.withRequestBodyPart(aMultipart("file").withHeader("Content-Disposition", containing("filename=\"blob.bin\""))
				.withBody(binaryEqualTo(content))
				.build()));
		String body = new String(wm.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getMethod().getName().equals("PUT"))
			.findFirst()
			.orElseThrow()
			.getRequest()
			.getBody(), StandardCharsets.ISO_8859_1);
		assertThat(body.indexOf("name=\"permissions\"")).isLessThan(body.indexOf("name=\"file\""));
	}

	@Test
	void aMebibyteOfRandomBytesRoundTripsThroughAStreamedWriteAndAStreamedRead() throws Exception {
		byte[] content = new byte[1024 * 1024];
		new Random(7).nextBytes(content);
		String file = SANDBOX_PATH + "/filesystem/%2Fdata%2Fblob.bin";
		wm.stubFor(put(urlEqualTo(file)).willReturn(okJson("{\"message\":\"Binary file uploaded successfully\"}")
			.withTransformers("replay")));
		wm.stubFor(get(urlEqualTo(file)).withHeader("Accept", equalTo("application/octet-stream"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/octet-stream")
				.withHeader("Content-Disposition", "attachment; filename=\"blob.bin\"")
				.withTransformers("replay")));
		java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
		InputStream source = new java.io.ByteArrayInputStream(content) {
			@Override
			public void close() {
				closed.set(true);
			}
		};

		await(this.sandbox.writeFileStream("/data/blob.bin", source, 0600, null));
		byte[] read;
		try (InputStream in = await(this.sandbox.readFileStream("/data/blob.bin"))) {
			read = in.readAllBytes();
		}

		assertThat(read).isEqualTo(content);
		assertThat(closed).isTrue();
		// Streamed: a multipart body of unknown length goes out chunked, read from the stream as it is sent.
		wm.verify(putRequestedFor(urlEqualTo(file)).withHeader("Authorization", equalTo("Bearer " + API_KEY))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE))
			.withHeader("Content-Type", containing("multipart/form-data"))
			.withHeader("Transfer-Encoding", equalTo("chunked"))
			.withHeader("Content-Length", com.github.tomakehurst.wiremock.client.WireMock.absent())
			.withRequestBodyPart(aMultipart("permissions").withBody(equalTo("0600")).build())
			.withRequestBodyPart(aMultipart("file").withHeader("Content-Disposition", containing("filename=\"blob.bin\""))
				.withHeader("Content-Type", equalTo("application/octet-stream"))
				.withBody(binaryEqualTo(content))
				.build()));
	}

	@Test
	void aStreamedReadDeliversTheFileAsItArrives() throws Exception {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fetc%2Fhostname")).willReturn(aResponse()
			.withHeader("Content-Disposition", "attachment; filename=\"hostname\"")
			.withBody("box\n")));
		try (InputStream in = await(this.sandbox.readFileStream("/etc/hostname"))) {
			assertThat(in.readAllBytes()).isEqualTo("box\n".getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void readingADirectoryIsRefusedNotMistakenForItsListing() {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Ftmp")).willReturn(okJson(
				"{\"path\":\"/tmp\",\"name\":\"tmp\",\"files\":[],\"subdirectories\":[]}")));
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> await(this.sandbox.readFile("/tmp")))
			.withMessageContaining("/tmp is a directory")
			.satisfies((error) -> assertThat(error.code()).contains("is_a_directory"));
	}

	@Test
	void aMissingFileIsNotFoundWithTheServersMessage() {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fnope")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"stat /nope: no such file or directory\"}")));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> await(this.sandbox.readFile("/nope")))
			.withMessageContaining("stat /nope: no such file or directory");
		assertThat(await(this.sandbox.exists("/nope"))).isFalse();
	}

	@Test
	void existsIsTrueForAFileAndForADirectory() {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fbig.iso")).willReturn(aResponse()
			.withHeader("Content-Disposition", "attachment; filename=\"big.iso\"")
			.withBody(new byte[256 * 1024])));
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fhome")).willReturn(okJson(
				"{\"path\":\"/home\",\"name\":\"home\",\"files\":[],\"subdirectories\":[]}")));
		assertThat(await(this.sandbox.exists("/big.iso"))).isTrue();
		assertThat(await(this.sandbox.exists("/home"))).isTrue();
		wm.verify(getRequestedFor(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fhome")).withHeader("Accept",
				equalTo("application/octet-stream")));
	}

	@Test
	void aListingGivesFilesWithTheirModesThenDirectories() {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork")).willReturn(okJson("""
				{"path":"/work","name":"work",
				 "files":[{"path":"/work/a.txt","name":"a.txt","permissions":"644","size":12,
				           "lastModified":"2026-01-02T03:04:05Z","owner":"root","group":"root"},
				          {"path":"/work/link","name":"link","permissions":"1000000777","size":4,
				           "lastModified":"2026-01-02T03:04:05Z","owner":"root","group":"root"}],
				 "subdirectories":[{"path":"/work/src","name":"src"}]}
				""")));
		List<FileInfo> entries = await(this.sandbox.listDirectory("/work"));
		assertThat(entries).containsExactly(new FileInfo("a.txt", "/work/a.txt", false, 12, 0644),
				new FileInfo("link", "/work/link", false, 4, 0777), new FileInfo("src", "/work/src", true, 0, null));
	}

	@Test
	void listingAFileIsRefused() {
		wm.stubFor(get(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork%2Fa.txt")).willReturn(aResponse()
			.withHeader("Content-Disposition", "attachment; filename=\"a.txt\"")
			.withBody("hello")));
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> await(this.sandbox.listDirectory("/work/a.txt")))
			.satisfies((error) -> assertThat(error.code()).contains("not_a_directory"));
	}

	@Test
	void makeDirAndRemoveUseTheirEndpoints() {
		wm.stubFor(put(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork%2Fnew")).willReturn(okJson(
				"{\"message\":\"Directory created successfully\",\"path\":\"/work/new\"}")));
		wm.stubFor(delete(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork%2Fnew?recursive=true")).willReturn(okJson(
				"{\"message\":\"Directory deleted successfully\"}")));
		await(this.sandbox.makeDir("/work/new"));
		await(this.sandbox.remove("/work/new"));
		wm.verify(putRequestedFor(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork%2Fnew"))
			.withHeader("Content-Type", containing("application/json"))
			.withRequestBody(equalToJson("{\"isDirectory\":true}")));
		wm.verify(deleteRequestedFor(urlEqualTo(SANDBOX_PATH + "/filesystem/%2Fwork%2Fnew?recursive=true"))
			.withHeader("X-Blaxel-Workspace", equalTo(WORKSPACE)));
	}

}
