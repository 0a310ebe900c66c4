package dev.sandboxer.provider.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The fast create path's parts that need no Engine: the route decision, the JSON written and read. */
class FastCreatePartsTests {

	@TempDir
	Path home;

	private final Map<String, String> env = new HashMap<>();

	private final Properties system = new Properties();

	private Path route(String dockerHost) {
		this.system.setProperty("user.home", this.home.toString());
		this.system.setProperty("os.name", "Linux");
		return FastCreateRoute.socket(dockerHost, this.env, this.system, false);
	}

	@Test
	void theDefaultSocketTakesTheFastPath() {
		assertThat(route(null)).isEqualTo(Path.of("/var/run/docker.sock"));
	}

	@Test
	void anExplicitUnixSocketTakesTheFastPathToThatSocket() {
		assertThat(route("unix:///tmp/other/docker.sock")).isEqualTo(Path.of("/tmp/other/docker.sock"));
		this.env.put("DOCKER_HOST", "unix:///run/user/1000/docker.sock");
		assertThat(route(null)).isEqualTo(Path.of("/run/user/1000/docker.sock"));
	}

	@Test
	void aTcpHostGoesTheDockerJavaWay() {
		assertThat(route("tcp://127.0.0.1:2375")).isNull();
		this.env.put("DOCKER_HOST", "tcp://docker.example:2376");
		assertThat(route(null)).isNull();
	}

	@Test
	void tlsGoesTheDockerJavaWay() {
		this.env.put("DOCKER_TLS_VERIFY", "1");
		assertThat(route(null)).isNull();
	}

	@Test
	void aContextNamedInTheEnvironmentGoesTheDockerJavaWay() {
		this.env.put("DOCKER_CONTEXT", "colima");
		assertThat(route(null)).isNull();
		assertThat(route("unix:///var/run/docker.sock")).isNull();
		this.env.put("DOCKER_CONTEXT", "default");
		assertThat(route(null)).isEqualTo(Path.of("/var/run/docker.sock"));
	}

	@Test
	void aCurrentContextInTheCliConfigGoesTheDockerJavaWay() throws IOException {
		Path config = this.home.resolve(".docker/config.json");
		Files.createDirectories(config.getParent());
		Files.writeString(config, "{\"auths\":{\"r.example\":{\"auth\":\"eA==\"}},\"currentContext\":\"desktop-linux\"}");
		assertThat(route(null)).isNull();
		Files.writeString(config, "{\"currentContext\":\"default\",\"psFormat\":\"{{.ID}}\"}");
		assertThat(route(null)).isEqualTo(Path.of("/var/run/docker.sock"));
		Files.writeString(config, "{\"auths\":{}}");
		assertThat(route(null)).isEqualTo(Path.of("/var/run/docker.sock"));
	}

	@Test
	void theCliConfigIsReadWhereDockerConfigSays() throws IOException {
		Path elsewhere = this.home.resolve("elsewhere");
		Files.createDirectories(elsewhere);
		Files.writeString(elsewhere.resolve("config.json"), "{\"currentContext\":\"remote\"}");
		assertThat(route(null)).isEqualTo(Path.of("/var/run/docker.sock"));
		this.env.put("DOCKER_CONFIG", elsewhere.toString());
		assertThat(route(null)).isNull();
	}

	@Test
	void aCliConfigThatIsNotJsonGoesTheDockerJavaWayWhichReportsIt() throws IOException {
		Path config = this.home.resolve(".docker/config.json");
		Files.createDirectories(config.getParent());
		Files.writeString(config, "{\"currentContext\": ");
		assertThat(route(null)).isNull();
	}

	@Test
	void settingsOnlyDockerJavaReadsGoTheDockerJavaWay() throws IOException {
		this.system.setProperty("DOCKER_HOST", "unix:///var/run/docker.sock");
		assertThat(route(null)).isNull();
		this.system.remove("DOCKER_HOST");
		Files.writeString(this.home.resolve(".docker-java.properties"), "DOCKER_HOST=tcp://elsewhere:2375\n");
		assertThat(route(null)).isNull();
		assertThat(FastCreateRoute.socket(null, Map.of(), new Properties(), true)).isNull();
	}

	@Test
	void windowsGoesTheDockerJavaWay() {
		this.system.setProperty("user.home", this.home.toString());
		this.system.setProperty("os.name", "Windows 11");
		assertThat(FastCreateRoute.socket(null, this.env, this.system, false)).isNull();
	}

	@Test
	void readsTextFieldsAtAPath() throws IOException {
		byte[] json = """
				{"Id":"sha256:1","RepoTags":["a:b",{"Config":{"WorkingDir":"no"}}],"Size":12.5e3,"Ok":true,"N":null,
				 "Config":{"Env":["A=1"],"WorkingDir":"/srv/\\u00e9t\\u00e9 \\"q\\"\\\\","Labels":null},"ContainerConfig":{}}
				""".getBytes(StandardCharsets.UTF_8);
		assertThat(EngineJson.text(json, "Id")).isEqualTo("sha256:1");
		assertThat(EngineJson.text(json, "Config", "WorkingDir")).isEqualTo("/srv/été \"q\"\\");
		assertThat(EngineJson.text(json, "Config", "Labels")).isNull();
		assertThat(EngineJson.text(json, "Size")).isNull();
		assertThat(EngineJson.text(json, "Missing", "WorkingDir")).isNull();
		assertThat(EngineJson.text("{\"Id\":\"😀\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8), "Id"))
			.isEqualTo("😀😀");
	}

	@Test
	void refusesWhatIsNotJson() {
		for (String bad : List.of("", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":\"\\x\"}", "{\"a\":tru}",
				"{} x", "[1 2]", "{\"a\":\"line\nbreak\"}", "[".repeat(10_000))) {
			assertThatExceptionOfType(IOException.class).as(bad)
				.isThrownBy(() -> EngineJson.text(bad.getBytes(StandardCharsets.UTF_8), "a"));
		}
	}

	@Test
	void writesStringsTheEngineReadsBackExactly() throws IOException {
		String awkward = "q\" b\\ nl\n cr\r tab\t nul\0 del\u007f é 😀 lone\ud800";
		String written = CreateContainerJson.string(awkward);
		assertThat(written).doesNotContain("\n", "\r", "\t", "\0").contains("\\u0000", "\\ud800");
		assertThat(EngineJson.text(("{\"a\":" + written + "}").getBytes(StandardCharsets.UTF_8), "a"))
			.isEqualTo(awkward);
	}

	@Test
	void aSocketGetsATlsContextThatLoadsNoTrustStoreAndOtherHostsKeepTheirs() throws Exception {
		com.github.dockerjava.transport.SSLConfig socket = UnusedTls.forHost(java.net.URI.create("unix:///var/run/docker.sock"),
				null);
		assertThat(socket).isNotNull();
		assertThat(socket.getSSLContext().getProtocol()).isEqualTo("TLS");
		assertThat(UnusedTls.forHost(java.net.URI.create("tcp://127.0.0.1:2376"), null)).isNull();
		com.github.dockerjava.transport.SSLConfig users = () -> null;
		assertThat(UnusedTls.forHost(java.net.URI.create("unix:///var/run/docker.sock"), users)).isSameAs(users);
	}

	@Test
	void comparesApiVersionsWithoutDockerJava() {
		assertThat(DockerEngine.knownToDockerJava("1.41")).isTrue();
		assertThat(DockerEngine.knownToDockerJava("1.44")).isTrue();
		assertThat(DockerEngine.knownToDockerJava("1.45")).isFalse();
		assertThat(DockerEngine.knownToDockerJava("2.0")).isFalse();
		assertThat(DockerEngine.knownToDockerJava("latest")).isFalse();
		assertThat(DockerEngine.choose("1.9", "1.2")).isEqualTo("1.9");
		assertThat(DockerEngine.choose("v1.43", null)).isEqualTo("1.43");
		assertThat(DockerEngine.choose("not a version", "1.12")).isEqualTo("1.44");
	}

}
