package dev.sandboxer;

import java.time.Duration;

import dev.sandboxer.error.NotFoundException;
import dev.sandboxer.testing.InMemoryProvider;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SandboxerObservationTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final InMemoryProvider provider = new InMemoryProvider();

	private final Sandboxer sandboxer = Sandboxer.builder("in-memory")
		.name("mem-eu")
		.provider(this.provider)
		.observationRegistry(this.registry)
		.build();

	@Test
	void everyOperationIsObservedWithBoundedTags() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		sandbox.writeFile("/a", new byte[] { 1 });
		assertThat(this.registry).hasObservationWithNameEqualTo("sandboxer.operation")
			.that()
			.hasContextualNameEqualTo("create_sandbox mem-eu")
			.hasLowCardinalityKeyValue("provider", "mem-eu")
			.hasLowCardinalityKeyValue("provider.type", "in-memory")
			.hasLowCardinalityKeyValue("operation", "create_sandbox")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasHighCardinalityKeyValue("sandbox.id", sandbox.id());
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("sandboxer.operation", 2);
	}

	@Test
	void aTimeoutChangeIsObservedAsSetTimeout() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		sandbox.setTimeout(Duration.ofMinutes(1));
		assertThat(this.registry).hasAnObservation((observation) -> observation
			.hasContextualNameEqualTo("set_timeout mem-eu")
			.hasLowCardinalityKeyValue("operation", "set_timeout")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasHighCardinalityKeyValue("sandbox.id", sandbox.id()));
	}

	@Test
	void aFailureIsTaggedWithItsKind() {
		Sandbox sandbox = this.sandboxer.createSandbox();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sandbox.readFile("/missing"));
		assertThat(this.registry).hasAnObservation((observation) -> observation
			.hasContextualNameEqualTo("read_file mem-eu")
			.hasLowCardinalityKeyValue("outcome", "NOT_FOUND")
			.hasError());
	}

}
