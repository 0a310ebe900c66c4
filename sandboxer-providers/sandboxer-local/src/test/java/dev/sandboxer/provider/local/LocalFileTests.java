package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.sandboxer.Sandbox;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.RunCommandRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files through the Engine's archive endpoints, and listings through one process, on both test images. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalFileTests {

	/** Names a shell or a line-based parser would mangle. */
	private static final List<String> AWKWARD_NAMES = List.of("plain.txt", "with space", "quote'single",
			"quote\"double", "new\nline", "ünïcödé ✓", ".hidden", "..double-dot", "-dash", "$(touch pwned)", "*",
			"back\\slash", "tab\there");

	@RegisterExtension
	final LocalTestSandboxes sandboxes = new LocalTestSandboxes();

	@OnBothImages
	void roundTripsEveryByteValue(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		byte[] all = new byte[256 * 4];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}

		sandbox.writeFile("/tmp/bytes/all.bin", all);

		assertThat(sandbox.readFile("/tmp/bytes/all.bin")).isEqualTo(all);
		assertThat(sandbox.runCommand("wc -c < /tmp/bytes/all.bin").stdout().strip()).isEqualTo("1024");
	}

	@Test
	void streamsAFileOfSeveralMebibytesBothWays() throws IOException {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.DEBIAN);
		long size = 12L * 1024 * 1024 + 7;
		InputStream generated = new PatternStream(size);

		sandbox.writeFile("/tmp/big/stream.bin", generated, null, null);

		assertThat(sandbox.runCommand("wc -c < /tmp/big/stream.bin").stdout().strip()).isEqualTo(Long.toString(size));
		String expected = sha256(new PatternStream(size));
		try (InputStream read = sandbox.readFileStream("/tmp/big/stream.bin")) {
			assertThat(sha256(read)).isEqualTo(expected);
		}
		assertThat(sandbox.runCommand("sha256sum /tmp/big/stream.bin").stdout()).startsWith(expected);
	}

	@OnBothImages
	void writesWithTheModeAndOwnerAskedFor(String image) {
		Sandbox sandbox = this.sandboxes.of(image);

		sandbox.writeFile("/tmp/owned/deep/by-nobody.txt", "x".getBytes(StandardCharsets.UTF_8), 0600, "nobody");
		sandbox.writeFile("/tmp/owned/by-default.sh", "y".getBytes(StandardCharsets.UTF_8), 0755, null);
		sandbox.writeFile("/tmp/owned/by-number.txt", "z".getBytes(StandardCharsets.UTF_8), null, "4242:4343");

		assertThat(stat(sandbox, "/tmp/owned/deep/by-nobody.txt")).isEqualTo("600 65534");
		assertThat(stat(sandbox, "/tmp/owned/deep")).isEqualTo("755 65534");
		assertThat(stat(sandbox, "/tmp/owned/by-default.sh")).isEqualTo("755 0");
		assertThat(stat(sandbox, "/tmp/owned/by-number.txt")).isEqualTo("644 4242");
		assertThat(sandbox.runCommand(
				RunCommandRequest.builder("cat /tmp/owned/deep/by-nobody.txt").user("nobody").build())
			.stdout()).isEqualTo("x");
	}

	@Test
	void resolvesAUserNameOfTheImageItself() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		sandbox.writeFile("/tmp/owned/by-user.txt", new byte[] { 1 }, null, "user");

		assertThat(stat(sandbox, "/tmp/owned/by-user.txt")).isEqualTo("644 1000");
		assertThatThrownBy(() -> sandbox.writeFile("/tmp/owned/x", new byte[0], null, "no-such-user"))
			.isInstanceOf(NotFoundException.class)
			.hasMessageContaining("no-such-user");
	}

	@OnBothImages
	void listsAwkwardNamesExactlyWithTheirTypeSizeAndMode(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		String dir = "/tmp/awkward dir 'listing'";
		for (String name : AWKWARD_NAMES) {
			sandbox.writeFile(dir + "/" + name, name.getBytes(StandardCharsets.UTF_8), 0640, null);
		}
		sandbox.makeDir(dir + "/sub dir");

		Map<String, FileInfo> listed = sandbox.listDirectory(dir)
			.stream()
			.collect(Collectors.toMap(FileInfo::name, Function.identity()));

		assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(
				Stream.concat(AWKWARD_NAMES.stream(), Stream.of("sub dir")).toList());
		for (String name : AWKWARD_NAMES) {
			FileInfo info = listed.get(name);
			assertThat(info.isDir()).isFalse();
			assertThat(info.size()).isEqualTo(name.getBytes(StandardCharsets.UTF_8).length);
			assertThat(info.mode()).isEqualTo(0640);
			assertThat(info.path()).isEqualTo(dir + "/" + name);
		}
		assertThat(listed.get("sub dir").isDir()).isTrue();
		assertThat(listed.get("sub dir").mode()).isEqualTo(0755);
		assertThat(sandbox.exists("/tmp/pwned")).isFalse();
		assertThat(sandbox.exists(dir + "/pwned")).isFalse();
	}

	@OnBothImages
	void listsAnEmptyDirectoryAndRefusesWhatIsNotOne(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		sandbox.makeDir("/tmp/empty-dir");
		sandbox.writeFile("/tmp/not-a-dir", new byte[0]);

		assertThat(sandbox.listDirectory("/tmp/empty-dir")).isEmpty();
		assertThatThrownBy(() -> sandbox.listDirectory("/tmp/no-such-dir")).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.listDirectory("/tmp/not-a-dir")).isInstanceOf(ProviderException.class)
			.hasMessageContaining("not a directory");
	}

	@OnBothImages
	void takesInjectionLookingPathsLiterally(String image) {
		Sandbox sandbox = this.sandboxes.of(image);
		List<String> paths = List.of("/tmp/$(touch /tmp/pwned)", "/tmp/`touch /tmp/pwned`", "/tmp/a'b\"c",
				"/tmp/x; touch /tmp/pwned", "/tmp/$HOME and $(id)");
		for (String path : paths) {
			sandbox.makeDir(path);
			sandbox.writeFile(path + "/f", path.getBytes(StandardCharsets.UTF_8));

			assertThat(sandbox.exists(path + "/f")).as(path).isTrue();
			assertThat(sandbox.readFile(path + "/f")).as(path).isEqualTo(path.getBytes(StandardCharsets.UTF_8));
			assertThat(sandbox.listDirectory(path)).extracting(FileInfo::name).containsExactly("f");
			sandbox.remove(path);
			assertThat(sandbox.exists(path)).as(path).isFalse();
		}
		assertThat(sandbox.exists("/tmp/pwned")).isFalse();
		assertThat(sandbox.runCommand("ls /tmp/pwned").exitCode()).isNotZero();
	}

	@OnBothImages
	void makesAndRemovesDirectoriesAndSaysWhatExists(String image) {
		Sandbox sandbox = this.sandboxes.of(image);

		sandbox.makeDir("/tmp/made/a/b/c");
		sandbox.makeDir("/tmp/made/a/b/c");
		sandbox.writeFile("/tmp/made/a/file", new byte[] { 42 });

		assertThat(sandbox.exists("/tmp/made/a/b/c")).isTrue();
		assertThat(sandbox.exists("/tmp/made/a/file")).isTrue();
		assertThat(sandbox.exists("/tmp/made/nothing")).isFalse();
		assertThatThrownBy(() -> sandbox.makeDir("/tmp/made/a/file")).isInstanceOf(ProviderException.class)
			.hasMessageContaining("not a directory");
		sandbox.remove("/tmp/made/a");
		assertThat(sandbox.exists("/tmp/made/a")).isFalse();
		assertThat(sandbox.exists("/tmp/made")).isTrue();
		assertThatThrownBy(() -> sandbox.remove("/tmp/made/a")).isInstanceOf(NotFoundException.class);
	}

	@Test
	void readingWhatIsNotAFileIsATypedError() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.BUSYBOX);

		assertThatThrownBy(() -> sandbox.readFile("/tmp/no-such-file")).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.readFile("/tmp")).isInstanceOf(ProviderException.class)
			.hasMessageContaining("is a directory");
		sandbox.makeDir("/tmp/a-dir");
		assertThatThrownBy(() -> sandbox.writeFile("/tmp/a-dir", new byte[1])).isInstanceOf(ProviderException.class)
			.hasMessageContaining("is a directory");
	}

	@Test
	void readsThroughSymbolicLinks() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.DEBIAN);
		sandbox.writeFile("/tmp/links/target.txt", "target".getBytes(StandardCharsets.UTF_8));
		sandbox.runCommand("ln -sf target.txt /tmp/links/relative && ln -sf /tmp/links/target.txt /tmp/links/absolute");

		assertThat(sandbox.readFile("/tmp/links/relative")).asString().isEqualTo("target");
		assertThat(sandbox.readFile("/tmp/links/absolute")).asString().isEqualTo("target");
	}

	@Test
	void writesThroughASymbolicLinkToADirectory() {
		Sandbox sandbox = this.sandboxes.of(LocalTestSandboxes.DEBIAN);
		sandbox.makeDir("/tmp/real-dir");
		sandbox.runCommand("ln -sfn /tmp/real-dir /tmp/linked-dir");

		sandbox.writeFile("/tmp/linked-dir/inside.txt", "via link".getBytes(StandardCharsets.UTF_8));
		sandbox.writeFile("/tmp/linked-dir/new/deeper.txt", "deeper".getBytes(StandardCharsets.UTF_8));

		assertThat(sandbox.readFile("/tmp/real-dir/inside.txt")).asString().isEqualTo("via link");
		assertThat(sandbox.readFile("/tmp/real-dir/new/deeper.txt")).asString().isEqualTo("deeper");
		assertThat(sandbox.runCommand("test -L /tmp/linked-dir && echo still-a-link").stdout()).isEqualTo("still-a-link\n");
	}

	@Test
	void filesWorkWithoutStartingAProcessEvenWhilePaused() {
		// A paused container cannot start a process, so whatever works now went through the archive endpoints.
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		sandbox.writeFile("/tmp/before.txt", "before".getBytes(StandardCharsets.UTF_8));
		sandbox.pause();
		try {
			assertThatThrownBy(() -> sandbox.runCommand("true")).isInstanceOf(ProviderException.class)
				.hasMessageContaining("paused");
			assertThat(sandbox.exists("/tmp/before.txt")).isTrue();
			assertThat(sandbox.exists("/tmp/after.txt")).isFalse();
			assertThat(sandbox.readFile("/tmp/before.txt")).asString().isEqualTo("before");
			sandbox.writeFile("/tmp/paused/after.txt", "after".getBytes(StandardCharsets.UTF_8), 0600, "user");
			sandbox.makeDir("/tmp/paused/dir");
			assertThat(sandbox.exists("/tmp/paused/after.txt")).isTrue();
		}
		finally {
			sandbox.resume();
		}
		assertThat(stat(sandbox, "/tmp/paused/after.txt")).isEqualTo("600 1000");
	}

	@Test
	void aKilledSandboxGivesNotFoundForFiles() {
		Sandbox sandbox = this.sandboxes.create(this.sandboxes.request(LocalTestSandboxes.BUSYBOX).build());
		sandbox.kill();

		assertThatThrownBy(() -> sandbox.readFile("/etc/passwd")).isInstanceOf(NotFoundException.class)
			.hasMessageContaining("gone");
		assertThatThrownBy(() -> sandbox.exists("/etc/passwd")).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.writeFile("/tmp/x", new byte[1])).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> sandbox.listDirectory("/tmp")).isInstanceOf(NotFoundException.class);
	}

	private static String stat(Sandbox sandbox, String path) {
		return sandbox.runCommand(RunCommandRequest.builder("stat -c '%a %u' \"$P\"")
			.env("P", path)
			.build()).stdout().strip();
	}

	private static String sha256(InputStream in) throws IOException {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A long, non-repeating-looking byte sequence made on the fly, so the test holds none of it in memory. */
	private static final class PatternStream extends InputStream {

		private final long size;

		private long position;

		PatternStream(long size) {
			this.size = size;
		}

		@Override
		public int read() {
			if (this.position >= this.size) {
				return -1;
			}
			long p = this.position++;
			return (int) ((p * 31 + (p >>> 11) * 7 + (p >>> 17)) & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.size) {
				return -1;
			}
			int n = (int) Math.min(length, this.size - this.position);
			for (int i = 0; i < n; i++) {
				buffer[offset + i] = (byte) read();
			}
			return n;
		}

	}

}
