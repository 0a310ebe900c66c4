package dev.sandboxer;

import java.time.Duration;

import dev.sandboxer.error.NotSupportedException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.testing.InMemoryProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code killProcess(pid, grace)} and {@code killPty(pid, grace)}: checked before any call, a zero grace is the plain
 * kill, and a provider that keeps the SPI's default refuses a real grace period with a typed error.
 */
class GracefulKillTests {

	private final Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(new InMemoryProvider()).build();

	@Test
	void aNegativeOrMissingGracePeriodIsRefusedBeforeAnyCall() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.killProcess(7, Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.killPty(7, null));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.killProcess(0, Duration.ofSeconds(1)));
	}

	@Test
	void aProviderThatCanOnlyKillOutrightRefusesAGracePeriodAndAZeroGraceIsThePlainKill() {
		Sandbox sandbox = this.sandboxer.createSandbox();

		assertThatExceptionOfType(NotSupportedException.class)
			.isThrownBy(() -> sandbox.killProcess(7, Duration.ofSeconds(1)))
			.satisfies((error) -> org.assertj.core.api.Assertions.assertThat(error.operation())
				.isEqualTo("killProcess with a grace period"));
		assertThatExceptionOfType(NotSupportedException.class).isThrownBy(() -> sandbox.killPty(7, Duration.ofSeconds(1)));
		// The in-memory provider does not model killProcess(pid): a zero grace reaches exactly that.
		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> sandbox.killProcess(7, Duration.ZERO))
			.withRootCauseInstanceOf(UnsupportedOperationException.class);
	}

}
