package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.model.FileInfo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider's pure parts, without an Engine. */
class LocalPartsTests {

	@Test
	void metadataKeysRoundTripExactlyThroughLabels() {
		for (String key : List.of("plain", "a b", "a_b", "slash/and:colon", "ü✓😀", "100%", "=eq", "")) {
			String label = SandboxLabels.encodeKey(key);
			assertThat(label).matches("[A-Za-z0-9._~%-]*");
			assertThat(SandboxLabels.decodeKey(label)).isEqualTo(key);
		}
		assertThat(SandboxLabels.encodeKey("a b")).isNotEqualTo(SandboxLabels.encodeKey("a_b"));
		assertThat(SandboxLabels.decodeKey("stray%zz%4")).isEqualTo("stray%zz%4");
	}

	@Test
	void writesTarsThatATarReaderReadsBack() throws IOException {
		String longName = "deep/" + "ü".repeat(80) + "/file-with-a-long-name.bin";
		byte[] content = new byte[1000];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) (i * 7);
		}
		InputStream tar = TarUpload.of(List.of("deep", "deep/" + "ü".repeat(80)),
				new TarUpload.FileEntry(longName, content.length, 0640, new ByteArrayInputStream(content)),
				new TarUpload.Owner(65534, 3_000_000));

		List<TarArchiveEntry> entries = new ArrayList<>();
		byte[] read = null;
		try (TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name())) {
			for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				entries.add(entry);
				if (entry.isFile()) {
					read = in.readAllBytes();
				}
			}
		}

		assertThat(entries).extracting(TarArchiveEntry::getName)
			.containsExactly("deep/", "deep/" + "ü".repeat(80) + "/", longName);
		assertThat(entries.get(0).isDirectory()).isTrue();
		assertThat(entries.get(0).getMode() & 07777).isEqualTo(0755);
		assertThat(entries.get(2).getMode() & 07777).isEqualTo(0640);
		assertThat(entries.get(2).getLongUserId()).isEqualTo(65534);
		assertThat(entries.get(2).getLongGroupId()).isEqualTo(3_000_000);
		assertThat(read).isEqualTo(content);
	}

	@Test
	void aStreamShorterThanAnnouncedFailsTheUpload() {
		InputStream tar = TarUpload.of(List.of(), new TarUpload.FileEntry("f", 10, 0644,
				new ByteArrayInputStream(new byte[3])), null);

		assertThatThrownBy(tar::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("ended 7 bytes");
	}

	@Test
	void choosesTheNewestApiVersionBothSidesSpeak() {
		assertThat(DockerEngine.choose("1.41", "1.12")).isEqualTo("1.41");
		assertThat(DockerEngine.choose("1.51", "1.24")).isEqualTo("1.44");
		assertThat(DockerEngine.choose("1.52", "1.44")).isEqualTo("1.44");
		assertThat(DockerEngine.choose("1.60", "1.50")).isEqualTo("1.50");
		assertThat(DockerEngine.choose(null, null)).isEqualTo("1.44");
	}

	@Test
	void readsItsSettingsAndRefusesBadOnes() {
		ProviderConfig config = ProviderConfig.fromMap(java.util.Map.of("docker_host", "tcp://10.0.0.5:2375",
				"image", "busybox:1", "api-version", "v1.41", "command_timeout", "2m"));
		LocalSettings settings = LocalSettings.from(config);

		assertThat(settings.dockerHost()).isEqualTo("tcp://10.0.0.5:2375");
		assertThat(settings.defaultImage()).isEqualTo("busybox:1");
		assertThat(settings.apiVersion()).isEqualTo("1.41");
		assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.portBindAddress()).isEqualTo("127.0.0.1");
		LocalSettings defaults = LocalSettings.from(ProviderConfig.builder().environment((name) -> null).build());
		assertThat(defaults.dockerHost()).isNull();
		assertThat(defaults.defaultImage()).isEqualTo("alpine:latest");
		assertThat(defaults.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
		LocalSettings fromEnv = LocalSettings.from(ProviderConfig.builder()
			.environment((name) -> name.equals("DOCKER_HOST") ? "unix:///run/user/1000/docker.sock" : null)
			.build());
		assertThat(fromEnv.dockerHost()).isEqualTo("unix:///run/user/1000/docker.sock");
		assertThatThrownBy(() -> LocalSettings.from(ProviderConfig.builder().extra("api-version", "latest").build()))
			.isInstanceOf(BadConfigException.class)
			.hasMessageContaining("api-version");
		assertThatThrownBy(() -> LocalSettings.from(ProviderConfig.builder().extra("docker-host", "tcp://nohost").build()))
			.isInstanceOf(BadConfigException.class)
			.hasMessageContaining("docker-host");
	}

	@Test
	void cleansPathsWithoutReadingWhatIsInTheirNames() {
		assertThat(ContainerPath.of("tmp//a/./b/../c/").value()).isEqualTo("/tmp/a/c");
		assertThat(ContainerPath.of("/../..").isRoot()).isTrue();
		assertThat(ContainerPath.of("/tmp/$(x) 'y'").name()).isEqualTo("$(x) 'y'");
		assertThat(ContainerPath.of("/tmp/a/b").relativeTo(ContainerPath.of("/tmp"))).isEqualTo("a/b");
		assertThat(ContainerPath.of("/tmp").relativeTo(ContainerPath.ROOT)).isEqualTo("tmp");
		assertThat(ContainerPath.of("/a").parent()).isEqualTo(ContainerPath.ROOT);
	}

	@Test
	void parsesAListingWhoseNamesHoldNewlinesAndSpaces() {
		String names = "a b\0new\nline\0gone\0d\0";
		String stats = "81a4 3 a b\n81ed 12 new\nline\n41ed 4096 d\n";
		ExecOutcome outcome = new ExecOutcome(names + "\0" + stats, "stat: can't stat 'gone'", 1, false, 5);

		List<FileInfo> entries = DirectoryListing.parse(ContainerPath.of("/x"), outcome, "sandbox s");

		assertThat(entries).containsExactly(new FileInfo("a b", "/x/a b", false, 3, 0644),
				new FileInfo("new\nline", "/x/new\nline", false, 12, 0755), new FileInfo("d", "/x/d", true, 4096, 0755));
		assertThatThrownBy(() -> DirectoryListing.parse(ContainerPath.of("/x"),
				new ExecOutcome("", "", 3, false, 1), "sandbox s")).isInstanceOf(NotFoundException.class);
		assertThatThrownBy(() -> DirectoryListing.parse(ContainerPath.of("/x"),
				new ExecOutcome("", "", 4, false, 1), "sandbox s")).isInstanceOf(ProviderException.class);
	}

	@Test
	void findsTheTerminalPidSequence() {
		byte[] sequence = "\033]sandboxer-pid;42\007rest".getBytes(StandardCharsets.US_ASCII);

		assertThat(PtySessions.pidSequenceEnd(sequence)).isEqualTo(sequence.length - 4);
		assertThat(PtySessions.pidSequenceEnd("\033]sandboxer-pid;4".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
		assertThat(PtySessions.pidSequenceEnd("\033]sand".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
		assertThat(PtySessions.pidSequenceEnd("OCI runtime exec failed".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo(-2);
	}

	@Test
	void sleepsForTheTimeoutRoundedUpAndTagsUntaggedImages() {
		assertThat(LifetimeKeeper.lifetime(null)).isEqualTo("infinity");
		assertThat(LifetimeKeeper.lifetime(Duration.ofMillis(1500))).isEqualTo("2");
		assertThat(LifetimeKeeper.lifetime(Duration.ofMillis(1))).isEqualTo("1");
		assertThat(LifetimeKeeper.lifetime(Duration.ofSeconds(2))).isEqualTo("2");
		// A lifetime past year 9999 is the longest the deadline can say, not an arithmetic failure.
		assertThat(Long.parseLong(LifetimeKeeper.lifetime(Duration.ofSeconds(Long.MAX_VALUE))))
			.isBetween(200_000_000_000L, 253_402_300_800L);
		assertThat(LocalProvider.withTag("alpine")).isEqualTo("alpine:latest");
		assertThat(LocalProvider.withTag("registry:5000/team/img")).isEqualTo("registry:5000/team/img:latest");
		assertThat(LocalProvider.withTag("registry:5000/team/img:1.2")).isEqualTo("registry:5000/team/img:1.2");
		assertThat(LocalProvider.withTag("img@sha256:abc")).isEqualTo("img@sha256:abc");
	}

	@Test
	void aMovedDeadlineRoundTripsThroughTheContainerNameOfItsOwnContainerOnly() {
		String id = "3f1aaf0c2d1e" + "0".repeat(52);
		Instant deadline = Instant.parse("2026-01-02T03:04:05.123456Z");

		String name = DeadlineName.of(id, deadline);

		assertThat(name).isEqualTo("sandboxer-3f1aaf0c2d1e-expires-20260102T030405.123Z")
			.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
		assertThat(DeadlineName.read("/" + name, id)).isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
		assertThat(DeadlineName.read(new String[] { "/other", "/" + name }, id))
			.isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
		assertThat(DeadlineName.read(name, "aaaaaaaaaaaa" + "0".repeat(52))).isNull();
		assertThat(DeadlineName.read("/quirky_turing", id)).isNull();
		assertThat(DeadlineName.read("/sandboxer-3f1aaf0c2d1e-expires-20261302T030405.123Z", id)).isNull();
		assertThat(DeadlineName.read((String) null, id)).isNull();
		assertThat(DeadlineName.read((String[]) null, id)).isNull();
	}

	@Test
	void aDeadlineIsNeverEarlierThanAskedAndStaysWithinFourDigitYears() {
		Instant now = Instant.parse("2026-01-02T03:04:05.100Z");

		assertThat(LifetimeKeeper.deadline(now, Duration.ofSeconds(90))).isEqualTo(now.plusSeconds(90));
		assertThat(LifetimeKeeper.deadline(now, Duration.ofSeconds(Long.MAX_VALUE)))
			.isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
		assertThat(LifetimeKeeper.epochSecondRoundedUp(Instant.parse("2026-01-02T03:04:05.001Z")))
			.isEqualTo(Instant.parse("2026-01-02T03:04:06Z").getEpochSecond());
		assertThat(LifetimeKeeper.epochSecondRoundedUp(Instant.parse("2026-01-02T03:04:05Z")))
			.isEqualTo(Instant.parse("2026-01-02T03:04:05Z").getEpochSecond());
	}

	@Test
	void takesTheEngineMessageOutOfItsErrorBody() {
		assertThat(EngineErrors.engineMessage("Status 404: {\"message\":\"No such container: \\\"x\\\"\"}\n"))
			.isEqualTo("No such container: \"x\"");
		assertThat(EngineErrors.engineMessage("plain text")).isEqualTo("plain text");
	}

}
