package dev.sandboxer.samples.quickstart;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.model.SandboxInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the quickstart as the README does, on the real Docker engine with the test image.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartApplicationTests {

	@Test
	void tourShouldPrintEveryStepAndLeaveNoSandbox(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(QuickstartApplication.class,
				"--sandboxer.providers.local.image=sandboxer-test/busybox:latest")) {
			assertThat(context.getBean(Sandboxer.class).ownedSandboxIds()).isEmpty();
		}
		String printed = output.getOut();
		assertThat(printed).contains("1. creating a sandbox on 'local' (local)")
			.contains("2. ran a command: exit code 0")
			.containsPattern("\\| hello from \\S+")
			.contains("   | Linux")
			.contains("3. wrote and read /tmp/quickstart/hello.txt: Hello, sandbox!")
			.contains("- hello.txt (16 bytes)");
		Matcher killed = Pattern.compile("5\\. killed (\\S+)").matcher(printed);
		assertThat(killed.find()).isTrue();
		try (Sandboxer local = Sandboxer.create("local")) {
			assertThat(local.listSandboxes()).extracting(SandboxInfo::id).doesNotContain(killed.group(1));
		}
	}

}
