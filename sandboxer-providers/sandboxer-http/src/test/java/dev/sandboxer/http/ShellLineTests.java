package dev.sandboxer.http;

// No wire format involved: POSIX shell quoting (IEEE Std 1003.1, Shell Command Language 2.2.2, single quotes) and
// sudo's -n/-H/-u options (sudo(8)).

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShellLineTests {

	@Test
	void quotesEveryWordWithItsSingleQuotesEscaped() {
		assertThat(ShellLine.quote("it's $HOME `id` \"x\"")).isEqualTo("'it'\\''s $HOME `id` \"x\"'");
		assertThat(ShellLine.quote("")).isEqualTo("''");
	}

	@Test
	void aNulCannotBeQuoted() {
		assertThatIllegalArgumentException().isThrownBy(() -> ShellLine.quote("a\0b")).withMessageContaining("NUL");
	}

	@Test
	void runsAsAUserWithTheEnvironmentAfterSudo() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("A", "1 2");
		env.put("B_2", "it's");
		assertThat(ShellLine.runAs("app-user", env, ShellLine.shellCommand("echo \"$A\"; id -un")))
			.isEqualTo("sudo -n -H -u 'app-user' -- env 'A=1 2' 'B_2=it'\\''s' sh -c 'echo \"$A\"; id -un'");
		assertThat(ShellLine.runAs("root", Map.of(), "sh -l")).isEqualTo("sudo -n -H -u 'root' -- sh -l");
		assertThat(ShellLine.userCheck("www-data")).isEqualTo("sudo -n -u 'www-data' -- true");
	}

	@Test
	void refusesWhatIsNotAUserOrAVariableName() {
		assertThatIllegalArgumentException().isThrownBy(() -> ShellLine.asUser("root; reboot"))
			.withMessageContaining("Not a user name");
		assertThatIllegalArgumentException().isThrownBy(() -> ShellLine.userCheck("-u"))
			.withMessageContaining("Not a user name");
		assertThatIllegalArgumentException().isThrownBy(() -> ShellLine.env(Map.of("A=B", "x")))
			.withMessageContaining("environment variable name");
		assertThatIllegalArgumentException().isThrownBy(() -> ShellLine.env(Map.of("1A", "x")));
		assertThat(ShellLine.env(Map.of())).isEmpty();
	}

	/** The words reach the program exactly as given, whatever they hold, when a real sh parses the line. */
	@Test
	void aRealShellPassesTheQuotedWordsOnUnchanged() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
		String nasty = "it's \"$HOME\" `id` $(id) \\ \n; | & * ?";
		String line = ShellLine.env(Map.of("NASTY", nasty))
				+ ShellLine.shellCommand("printf '%s' \"$NASTY\"; printf '|%s' \"$0\"") + " " + ShellLine.quote("$x");
		assertThat(run(line)).isEqualTo(nasty + "|$x");
	}

	private static String run(String line) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of("/bin/sh", "-c", line)).redirectErrorStream(true).start();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		return new String(out, StandardCharsets.UTF_8);
	}

}
