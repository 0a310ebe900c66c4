package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import dev.sandboxer.Sandbox;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.CreateSandboxRequest;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.StartCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same mistake gets the same type on {@code local} as on E2B, whose envd answers a bad user or working
 * directory with {@code invalid_argument} (a {@link ProviderException}) and a directory read as a file with a
 * {@code 400} (a {@link ProviderException}); bad variable names never leave the JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalMistakesTests {

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@OnBothImages
	void anUnknownUserIsAProviderExceptionWithItsOwnCodeForCommandsAndFiles(String image) {
		Sandbox sandbox = this.sandboxes.of(image);

		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("id").user("nobody-here").build()))
			.isInstanceOfSatisfying(ProviderException.class, (error) -> assertThat(error.code()).contains("unknown-user"))
			.hasMessageContaining("No user 'nobody-here' in /etc/passwd")
			.hasMessageNotContaining("OCI")
			.hasMessageNotContaining("no matching entries");
		assertThatThrownBy(() -> sandbox.startCommand(StartCommandRequest.builder("id").user("nobody-here").build()))
			.isInstanceOfSatisfying(ProviderException.class, (error) -> assertThat(error.code()).contains("unknown-user"));
		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("id").user("nobody:no-group").build()))
			.isInstanceOfSatisfying(ProviderException.class, (error) -> assertThat(error.code()).contains("unknown-group"));
		assertThatThrownBy(() -> sandbox.writeFile("/tmp/x", new byte[1], null, "nobody-here"))
			.isInstanceOfSatisfying(ProviderException.class, (error) -> assertThat(error.code()).contains("unknown-user"));
	}

	@OnBothImages
	void aMissingWorkingDirectoryIsAProviderExceptionWithoutTheRuntimesWords(String image) {
		Sandbox sandbox = this.sandboxes.of(image);

		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("pwd").cwd("/no/such/dir").build()))
			.isInstanceOfSatisfying(ProviderException.class,
					(error) -> assertThat(error.code()).contains("no-such-directory"))
			.hasMessageContaining("The working directory '/no/such/dir'")
			.hasMessageContaining("no such file or directory")
			.hasMessageNotContaining("OCI runtime")
			.hasMessageNotContaining("config.json");
		assertThatThrownBy(() -> sandbox.runCommand(RunCommandRequest.builder("pwd").cwd("/etc/passwd").build()))
			.isInstanceOfSatisfying(ProviderException.class,
					(error) -> assertThat(error.code()).contains("no-such-directory"))
			.hasMessageContaining("not a directory");
	}

	@Test
	void aBadEnvironmentVariableNameIsAnIllegalArgumentBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> RunCommandRequest.builder("env").env("A=B", "c").build());
		assertThatIllegalArgumentException().isThrownBy(() -> RunCommandRequest.builder("env").env("", "c").build());
		assertThatIllegalArgumentException().isThrownBy(() -> StartCommandRequest.builder("env").env("A\0", "c").build());
		assertThatIllegalArgumentException().isThrownBy(() -> CreatePtyRequest.builder().env("X=", "c").build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CreateSandboxRequest.builder().env("BAD=NAME", "c").build());
	}

	@Test
	void readingADirectoryAsAFileAndAnUnpublishedPortAreTypedAsOnE2b() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.readFile("/etc"))
			.isInstanceOfSatisfying(ProviderException.class, (error) -> assertThat(error.code()).contains("is-a-directory"));
		assertThatThrownBy(() -> sandbox.portUrl(8080)).isInstanceOf(NotFoundException.class)
			.hasMessageContaining("port(8080)");
	}

	@Test
	void relativePathsStartAtTheContainersWorkingDirectoryAsCommandsDo() {
		String image = "sandboxer-test/busybox-workdir:" + UUID.randomUUID().toString().substring(0, 8);
		DockerClient docker = this.sandboxes.docker();
		String base = docker.createContainerCmd(LocalTestSandboxes.BUSYBOX).withCmd("true").exec().getId();
		try {
			docker.commitCmd(base).withRepository(image.substring(0, image.indexOf(':')))
				.withTag(image.substring(image.indexOf(':') + 1))
				.withWorkingDir("/srv/app")
				.exec();
			Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(image).build());

			sandbox.writeFile("notes.txt", "relative".getBytes(StandardCharsets.UTF_8));

			assertThat(sandbox.runCommand("pwd; cat notes.txt").stdout()).isEqualTo("/srv/app\nrelative");
			assertThat(sandbox.readFile("/srv/app/notes.txt")).asString().isEqualTo("relative");
			assertThat(sandbox.readFile("./notes.txt")).asString().isEqualTo("relative");
			assertThat(sandbox.exists("notes.txt")).isTrue();
			assertThat(sandbox.listDirectory(".")).extracting((entry) -> entry.name()).contains("notes.txt");
			assertThat(sandbox.readFile("../app/notes.txt")).asString().isEqualTo("relative");
			sandbox.remove("notes.txt");
			assertThat(sandbox.exists("/srv/app/notes.txt")).isFalse();
			sandbox.kill();

			Sandbox plain = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);
			plain.writeFile("tmp/at-root.txt", new byte[] { 1 });
			assertThat(plain.exists("/tmp/at-root.txt")).as("no WORKDIR: relative to /").isTrue();
		}
		finally {
			docker.removeContainerCmd(base).withForce(true).exec();
			docker.removeImageCmd(image).withForce(true).exec();
		}
	}

}
