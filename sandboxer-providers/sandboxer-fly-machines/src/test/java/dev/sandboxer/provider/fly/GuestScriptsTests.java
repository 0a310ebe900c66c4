package dev.sandboxer.provider.fly;

// The scripts this provider sends through POST /v1/apps/{app}/machines/{id}/exec (superfly/docs
// api/machines/openapi.json at 462dcb9037e57d4c21a336289db3e0b9378d15ab: MachineExecRequest.command is an argv), run
// here for real, as the exec endpoint would run them: "/bin/sh -c SCRIPT sh ARG...", once with GNU coreutils and once
// with BusyBox's applets first on the PATH (the two userlands the issue names). No Fly involved.

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.sandboxer.model.FileInfo;
import dev.sandboxer.provider.fly.GuestExec.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(OS.LINUX)
class GuestScriptsTests {

	@TempDir
	Path dir;

	private String path;

	/** Sets the PATH: the system's (GNU) or a directory of BusyBox applets in front of it. */
	private void userland(String which) throws Exception {
		String system = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
		if (which.equals("gnu")) {
			this.path = system;
			return;
		}
		Path busybox = Path.of("/usr/bin/busybox");
		Assumptions.assumeTrue(Files.isExecutable(busybox), "BusyBox is not installed here");
		Path applets = Files.createDirectories(this.dir.resolve(".applets"));
		Process install = new ProcessBuilder(busybox.toString(), "--install", "-s", applets.toString())
			.redirectErrorStream(true)
			.start();
		install.getInputStream().readAllBytes();
		install.waitFor(20, TimeUnit.SECONDS);
		assertThat(applets.resolve("base64")).exists();
		this.path = applets + File.pathSeparator + system;
	}

	private Outcome run(String script, String stdin, String... args) throws Exception {
		return runArgv(GuestExec.argv(script, List.of(args), null), stdin);
	}

	private Outcome runArgv(List<String> argv, String stdin) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(argv);
		builder.environment().put("PATH", this.path);
		Process process = builder.start();
		process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		// Read both streams while it runs, as the exec endpoint would.
		var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
		String out = readAll(process.getInputStream());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Outcome(process.exitValue(), null, out, err.join());
	}

	private static String readAll(java.io.InputStream in) {
		try {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void filesRoundTripThroughTheWriteAndReadScripts(String userland) throws Exception {
		userland(userland);
		byte[] content = new byte[2500];
		new Random(3).nextBytes(content);
		String target = this.dir.resolve("new dir/it's $(x).bin").toString();
		String temporary = this.dir.resolve("new dir/.sandboxer-upload-1").toString();
		String parent = this.dir.resolve("new dir").toString();
		Base64.Encoder encoder = Base64.getEncoder();
		assertThat(run(GuestFiles.WRITE_CHUNK, encoder.encodeToString(java.util.Arrays.copyOfRange(content, 0, 1000)),
				temporary, parent, "new").exitCode()).isZero();
		assertThat(run(GuestFiles.WRITE_CHUNK,
				encoder.encodeToString(java.util.Arrays.copyOfRange(content, 1000, 2500)), temporary, parent, "append")
			.exitCode()).isZero();
		assertThat(run(GuestFiles.COMMIT, "", temporary, target, "750", "").exitCode()).isZero();
		assertThat(Files.readAllBytes(Path.of(target))).isEqualTo(content);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(target)))).isEqualTo("rwxr-x---");
		assertThat(Path.of(temporary)).doesNotExist();

		Outcome first = run(GuestFiles.READ_FIRST, "", target, "1000");
		assertThat(first.exitCode()).isZero();
		int newline = first.stdout().indexOf('\n');
		assertThat(first.stdout().substring(0, newline)).isEqualTo("2500");
		java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
		read.writeBytes(Base64.getDecoder().decode(first.stdout().substring(newline + 1)));
		for (int i = 1; i < 3; i++) {
			Outcome chunk = run(GuestFiles.READ_CHUNK, "", target, "1000", Integer.toString(i));
			assertThat(chunk.exitCode()).isZero();
			read.writeBytes(Base64.getDecoder().decode(chunk.stdout()));
		}
		assertThat(read.toByteArray()).isEqualTo(content);
		assertThat(run(GuestFiles.READ_FIRST, "", this.dir.resolve("missing").toString(), "1000").exitCode())
			.isEqualTo(44);
		assertThat(run(GuestFiles.READ_FIRST, "", parent, "1000").exitCode()).isEqualTo(21);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void theListingKeepsEveryNameExactly(String userland) throws Exception {
		userland(userland);
		Path listed = Files.createDirectories(this.dir.resolve("listed"));
		Files.createDirectories(listed.resolve("sub dir"));
		Files.write(listed.resolve(".hidden"), new byte[12]);
		Files.write(listed.resolve("line\nbreak"), new byte[3]);
		Files.write(listed.resolve("ünï'cøde $(x)"), new byte[5]);
		Files.write(listed.resolve("*"), new byte[1]);
		Files.createSymbolicLink(listed.resolve("dangling"), listed.resolve("nowhere"));
		Files.setPosixFilePermissions(listed.resolve(".hidden"), PosixFilePermissions.fromString("rw-------"));
		Outcome outcome = run(GuestFiles.LIST, "", listed.toString());
		assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
		List<FileInfo> entries = GuestFiles.entries("/listed", Base64.getDecoder().decode(outcome.stdout()));
		assertThat(entries).extracting(FileInfo::name)
			.containsExactlyInAnyOrder("sub dir", ".hidden", "line\nbreak", "ünï'cøde $(x)", "*", "dangling");
		assertThat(entries).filteredOn(FileInfo::isDir).extracting(FileInfo::name).containsExactly("sub dir");
		assertThat(entries).filteredOn((entry) -> entry.name().equals(".hidden"))
			.singleElement()
			.satisfies((entry) -> {
				assertThat(entry.size()).isEqualTo(12);
				assertThat(entry.mode()).isEqualTo(0600);
				assertThat(entry.path()).isEqualTo("/listed/.hidden");
			});
		assertThat(run(GuestFiles.LIST, "", this.dir.resolve("missing").toString()).exitCode()).isEqualTo(44);
		assertThat(run(GuestFiles.LIST, "", listed.resolve(".hidden").toString()).exitCode()).isEqualTo(20);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void existsMakeDirAndRemove(String userland) throws Exception {
		userland(userland);
		String deep = this.dir.resolve("a b/c/d").toString();
		assertThat(run(GuestFiles.EXISTS, "", deep).exitCode()).isEqualTo(1);
		assertThat(run(GuestFiles.MAKE_DIR, "", deep).exitCode()).isZero();
		assertThat(run(GuestFiles.MAKE_DIR, "", deep).exitCode()).isZero();
		assertThat(run(GuestFiles.EXISTS, "", deep).exitCode()).isZero();
		assertThat(run(GuestFiles.REMOVE, "", this.dir.resolve("a b").toString()).exitCode()).isZero();
		assertThat(Path.of(deep)).doesNotExist();
		assertThat(run(GuestFiles.REMOVE, "", this.dir.resolve("a b").toString()).exitCode()).isEqualTo(44);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void runAppliesCwdAndEnvWithoutEvaluatingThem(String userland) throws Exception {
		userland(userland);
		Path work = Files.createDirectories(this.dir.resolve("wo rk"));
		Outcome outcome = run(GuestCommands.RUN, "", work.toString(), "", "pwd; printf '%s\\n' \"$GREETING\"; exit 4",
				"GREETING=it's $(echo evaluated) `echo too`");
		assertThat(outcome.exitCode()).isEqualTo(4);
		assertThat(outcome.stdout()).isEqualTo(work + "\nit's $(echo evaluated) `echo too`\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void anotherUserRunsTheSameScriptThroughSuWithItsArgumentsIntact(String userland) throws Exception {
		userland(userland);
		Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "su needs root here");
		List<String> argv = GuestExec.argv(GuestCommands.RUN,
				List.of("/", "", "id -un; printf '%s\\n' \"$V\"", "V=it's \"$(echo no)\" `x` \\ $HOME"), "nobody");
		Outcome outcome = runArgv(argv, "");
		assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
		assertThat(outcome.stdout()).isEqualTo("nobody\nit's \"$(echo no)\" `x` \\ $HOME\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void runKillsACommandAtItsTimeout(String userland) throws Exception {
		userland(userland);
		Path pidFile = this.dir.resolve("grandchild.pid");
		Outcome outcome = run(GuestCommands.RUN, "", "", "1",
				"echo started; sleep 20 & echo $! >'" + pidFile + "'; wait");
		assertThat(outcome.exitCode()).isEqualTo(137);
		assertThat(outcome.stdout()).isEqualTo("started\n");
		// The whole process group went: no grandchild is left holding the output open.
		long grandchild = Long.parseLong(Files.readString(pidFile).strip());
		assertThat(endsSoon(grandchild)).as("pid %d still runs", grandchild).isTrue();
	}

	/** Whether a process is gone or a zombie (killed, not yet reaped), looking for up to ten seconds. */
	private static boolean endsSoon(long pid) throws Exception {
		Path stat = Path.of("/proc/" + pid + "/stat");
		for (int i = 0; i < 200; i++) {
			try {
				String fields = Files.readString(stat);
				if (fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z")) {
					return true;
				}
			}
			catch (IOException ex) {
				return true;
			}
			Thread.sleep(50);
		}
		return false;
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void theKeeperEndsAtItsDeadlineAndMovesWhenWoken(String userland) throws Exception {
		userland(userland);
		Path state = Path.of("/tmp/.sandboxer");
		Assumptions.assumeFalse(Files.exists(state), "another keeper's state is in /tmp/.sandboxer");
		try {
			assertThat(run(stripped(Lifetime.class, "MOVE"), "", "1").exitCode()).isEqualTo(3);
			long far = java.time.Instant.now().getEpochSecond() + 3600;
			ProcessBuilder builder = new ProcessBuilder(Lifetime.keeperCommand(java.time.Instant.ofEpochSecond(far)));
			builder.environment().put("PATH", this.path);
			Process keeper = builder.start();
			for (int i = 0; i < 100 && !Files.exists(state.resolve("keeper.pid")); i++) {
				Thread.sleep(50);
			}
			assertThat(keeper.isAlive()).isTrue();
			Outcome moved = run(stripped(Lifetime.class, "MOVE"), "",
					Long.toString(java.time.Instant.now().getEpochSecond() - 1));
			assertThat(moved.exitCode()).as(moved.stderr()).isZero();
			// Woken by SIGUSR1, it reads the past deadline and ends (well before its hour).
			assertThat(keeper.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(keeper.exitValue()).isZero();
		}
		finally {
			new ProcessBuilder("rm", "-rf", state.toString()).start().waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** A private script constant of a class, read the way the class sends it. */
	private static String stripped(Class<?> type, String field) throws Exception {
		java.lang.reflect.Field constant = type.getDeclaredField(field);
		constant.setAccessible(true);
		return (String) constant.get(null);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gnu", "busybox" })
	void backgroundCommandsCanBeWaitedForAndKilled(String userland) throws Exception {
		userland(userland);
		String jobs = this.dir.resolve("jobs").toString();
		Outcome started = run(GuestCommands.START, "", jobs, "h1", "", "echo out; echo err >&2; exit 3",
				GuestCommands.SUPERVISOR, "X=1");
		assertThat(started.exitCode()).as(started.stderr()).isZero();
		assertThat(started.stdout().strip()).matches("[0-9]+");
		Outcome waited = run(GuestCommands.WAIT, "", jobs + "/h1", "10");
		assertThat(waited.exitCode()).isZero();
		String[] lines = waited.stdout().split("\n", -1);
		assertThat(lines[0]).startsWith("3 ");
		assertThat(new String(Base64.getDecoder().decode(lines[1]), StandardCharsets.UTF_8)).isEqualTo("out\n");
		assertThat(new String(Base64.getDecoder().decode(lines[2]), StandardCharsets.UTF_8)).isEqualTo("err\n");

		Outcome sleeper = run(GuestCommands.START, "", jobs, "h2", "", "sleep 30", GuestCommands.SUPERVISOR);
		String pid = sleeper.stdout().strip();
		assertThat(run(GuestCommands.WAIT, "", jobs + "/h2", "0").exitCode()).isEqualTo(75);
		assertThat(run(GuestCommands.KILL, "", pid).exitCode()).isZero();
		Outcome killed = run(GuestCommands.WAIT, "", jobs + "/h2", "10");
		assertThat(killed.exitCode()).isZero();
		assertThat(killed.stdout()).startsWith("137 ");
		assertThat(run(GuestCommands.KILL, "", pid).exitCode()).isEqualTo(44);
		assertThat(run(GuestCommands.WAIT, "", jobs + "/nope", "1").exitCode()).isEqualTo(44);
	}

}
