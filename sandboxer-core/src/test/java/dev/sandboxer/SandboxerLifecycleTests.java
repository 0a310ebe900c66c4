package dev.sandboxer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.error.ProviderException;
import dev.sandboxer.error.SandboxerException;
import dev.sandboxer.testing.InMemoryProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Who kills what: the close rules every provider gets from the client faces. */
class SandboxerLifecycleTests {

	private final InMemoryProvider provider = new InMemoryProvider();

	private final Sandboxer sandboxer = Sandboxer.builder("in-memory").provider(this.provider).build();

	@Test
	void closingACreatedSandboxKillsIt() {
		String id;
		try (Sandbox sandbox = this.sandboxer.createSandbox()) {
			id = sandbox.id();
			sandbox.writeFile("/tmp/a", new byte[] { 1, 2 });
		}
		assertThat(this.provider.sandboxes).doesNotContainKey(id);
		assertThat(this.sandboxer.ownedSandboxIds()).isEmpty();
	}

	@Test
	void closingAnAttachedSandboxLetsItRun() {
		String id = this.provider.createSandbox(null).join().id();
		try (Sandbox attached = this.sandboxer.attachSandbox(id)) {
			assertThat(attached.exists("/nothing")).isFalse();
		}
		assertThat(this.provider.sandboxes).containsKey(id);
	}

	@Test
	void aDetachedSandboxOutlivesItsHandleAndItsClient() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		sandbox.detach();
		sandbox.close();
		this.sandboxer.close();
		assertThat(this.provider.sandboxes).containsKey(sandbox.id());
	}

	@Test
	void closingTheClientKillsWhatItCreatedAndReleasesTheProvider() {
		Sandbox first = this.sandboxer.createSandbox();
		Sandbox second = this.sandboxer.createSandbox();
		assertThat(this.sandboxer.ownedSandboxIds()).containsExactlyInAnyOrder(first.id(), second.id());
		this.sandboxer.close();
		assertThat(this.provider.sandboxes).isEmpty();
		assertThat(this.provider.closed).isTrue();
		this.sandboxer.close();
		assertThat(this.provider.kills).hasValue(2);
	}

	@Test
	void aClosedClientRefusesCalls() {
		this.sandboxer.close();
		assertThatExceptionOfType(SandboxerException.class).isThrownBy(this.sandboxer::createSandbox)
			.withMessageContaining("closed");
	}

	@Test
	void killingBeforeCloseDoesNotKillTwice() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		sandbox.kill();
		sandbox.close();
		this.sandboxer.close();
		assertThat(this.provider.kills).hasValue(1);
	}

	@Test
	void killingByIdReleasesOwnership() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		this.sandboxer.killSandbox(sandbox.id());
		assertThat(this.sandboxer.ownedSandboxIds()).isEmpty();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.sandboxer.killSandbox(sandbox.id()));
	}

	@Test
	void closeOfASandboxThatDiedElsewhereIsQuiet() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		this.provider.sandboxes.remove(sandbox.id());
		sandbox.close();
		assertThat(this.sandboxer.ownedSandboxIds()).isEmpty();
	}

	@Test
	void operationsOnAGoneSandboxAreNotFound() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		sandbox.kill();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandbox.runCommand("true"));
	}

	@Test
	void anUntypedProviderFailureReachesTheUserTyped() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		this.provider.failure = () -> new IllegalStateException("netty said no");
		assertThatExceptionOfType(ProviderException.class).isThrownBy(sandbox::info)
			.withMessageContaining("info")
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void theAsyncFaceSharesOwnership() {
		AsyncSandbox sandbox = this.sandboxer.async().createSandbox().join();
		assertThat(this.sandboxer.ownedSandboxIds()).containsExactly(sandbox.id());
		assertThat(sandbox.blocking().async()).isSameAs(sandbox);
		CompletableFuture<Void> kill = sandbox.kill();
		kill.join();
		assertThat(this.sandboxer.ownedSandboxIds()).isEmpty();
	}

	@Test
	void badArgumentsFailBeforeAnyCall() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.readFile("/tmp/a\0b"));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.killProcess(0));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.portUrl(70000));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.writeFile("/x", new byte[0], 010000, null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.sandboxer.attachSandbox(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.setTimeout(Duration.ZERO))
			.withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.setTimeout(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.async().setTimeout(null));
		assertThat(this.provider.deadlines).isEmpty();
	}

	@Test
	void aNewTimeoutReachesTheProviderAndShowsInInfo() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		assertThat(sandbox.info().expiresAt()).isNull();
		Instant before = Instant.now();
		sandbox.setTimeout(Duration.ofMinutes(5));
		assertThat(sandbox.info().expiresAt()).isBetween(before.plus(Duration.ofMinutes(5)),
				Instant.now().plus(Duration.ofMinutes(5)));
		assertThat(sandbox.initialInfo().expiresAt()).isNull();
		sandbox.kill();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandbox.setTimeout(Duration.ofMinutes(1)));
	}

	@Test
	void outputListenerAndResultAgree() {
		StringBuilder seen = new StringBuilder();
		try (Sandbox sandbox = this.sandboxer.createSandbox()) {
			var result = sandbox.runCommand(dev.sandboxer.model.RunCommandRequest.of("echo hi"),
					new CommandOutputListener() {
						@Override
						public void onStdout(String chunk) {
							seen.append(chunk);
						}
					});
			assertThat(result.stdout()).isEqualTo(seen.toString()).isEqualTo("echo hi");
		}
	}

}
