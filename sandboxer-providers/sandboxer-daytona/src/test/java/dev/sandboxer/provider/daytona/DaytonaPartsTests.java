package dev.sandboxer.provider.daytona;

// The parts behind the wire format of daytonaio/daytona at commit b5a5d9e7: the log markers of
// libs/common-go/pkg/log/read_multiplex_log.go (01 01 01 stdout, 02 02 02 stderr), the SandboxState enum of
// libs/api-client-go/api/openapi.yaml, and the script a session runs for a started command.

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sandboxer.error.BadConfigException;
import dev.sandboxer.model.SandboxStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaytonaPartsTests {

	@Test
	void theLogIsSplitAtItsMarkersAndUnmarkedBytesAreDropped() {
		byte[] log = bytes("junk\u0001\u0001\u0001a\u0002\u0002\u0002b\u0001\u0001\u0001c\u0001\u0001");
		LogStreams streams = LogStreams.split(log);
		assertThat(new String(streams.stdout(), StandardCharsets.UTF_8)).isEqualTo("ac\u0001\u0001");
		assertThat(new String(streams.stderr(), StandardCharsets.UTF_8)).isEqualTo("b");
	}

	@Test
	void binaryOutputKeepsItsBytes() {
		byte[] log = { 1, 1, 1, (byte) 0xC3, (byte) 0xA9, 0, 2, 2, 2, (byte) 0xFF };
		LogStreams streams = LogStreams.split(log);
		assertThat(streams.stdout()).containsExactly((byte) 0xC3, (byte) 0xA9, 0);
		assertThat(streams.stderr()).containsExactly((byte) 0xFF);
	}

	@Test
	void theScriptQuotesTheDirectoryAndTheEnvironmentStrictly() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("A", "x'y");
		env.put("B", "$(touch /tmp/pwned) `id` \"q\"");
		String script = ShellWords.script("echo \"$A\"", "/tmp/it's here", env, null);
		assertThat(script).isEqualTo("(\ncd -- '/tmp/it'\"'\"'s here' || exit 1\nexport 'A=x'\"'\"'y'\n"
				+ "export 'B=$(touch /tmp/pwned) `id` \"q\"'\n#sandboxer:command\necho \"$A\"\n)");
		assertThat(ShellWords.command(script)).isEqualTo("echo \"$A\"");
		assertThat(ShellWords.command("ls -l")).isEqualTo("ls -l");
	}

	@Test
	void anEnvironmentNameThatIsNotANameIsRefused() {
		assertThatExceptionOfType(BadConfigException.class)
			.isThrownBy(() -> ShellWords.script("true", null, Map.of("A;rm -rf /", "x"), null));
	}

	@Test
	void everySandboxStateHasAStatus() {
		assertThat(SandboxStates.status("started")).isEqualTo(SandboxStatus.RUNNING);
		for (String state : new String[] { "creating", "restoring", "starting", "pending_build", "building_snapshot",
				"pulling_snapshot", "resizing", "snapshotting", "forking", "resuming" }) {
			assertThat(SandboxStates.status(state)).as(state).isEqualTo(SandboxStatus.STARTING);
		}
		for (String state : new String[] { "stopped", "stopping", "archived", "archiving", "pausing", "paused" }) {
			assertThat(SandboxStates.status(state)).as(state).isEqualTo(SandboxStatus.PAUSED);
		}
		assertThat(SandboxStates.status("destroyed")).isEqualTo(SandboxStatus.STOPPED);
		assertThat(SandboxStates.status("destroying")).isEqualTo(SandboxStatus.STOPPED);
		assertThat(SandboxStates.status("error")).isEqualTo(SandboxStatus.ERROR);
		assertThat(SandboxStates.status("build_failed")).isEqualTo(SandboxStatus.ERROR);
		assertThat(SandboxStates.status("unknown")).isEqualTo(SandboxStatus.ERROR);
		assertThat(SandboxStates.status(null)).isEqualTo(SandboxStatus.ERROR);
	}

	@Test
	void theCloseReasonGivesTheExitCode() {
		assertThat(ToolboxPtys.exitCode("{\"exitCode\":137,\"exitReason\":\" (SIGKILL)\"}")).isEqualTo(137);
		assertThat(ToolboxPtys.exitCode("{\"exitCode\":0}")).isZero();
		assertThat(ToolboxPtys.exitCode("")).isEqualTo(-1);
		assertThat(ToolboxPtys.exitCode("PTY session unavailable")).isEqualTo(-1);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
