package dev.sandboxer.http;

// No wire format involved: masking of registered secrets in arbitrary text.

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTests {

	@Test
	void masksEveryRegisteredSecretWhereverItAppears() {
		Redactor redactor = new Redactor();
		redactor.addSecret("e2b_0123456789abcdef");
		redactor.addSecret("token-xyz-42");
		assertThat(redactor.redact("key e2b_0123456789abcdef and token-xyz-42, again e2b_0123456789abcdef"))
			.isEqualTo("key **** and ****, again ****");
	}

	@Test
	void masksTheLongerOfTwoOverlappingSecretsWhole() {
		Redactor redactor = new Redactor();
		redactor.addSecret("secret-1");
		redactor.addSecret("secret-123456");
		assertThat(redactor.redact("x secret-123456 y")).isEqualTo("x **** y");
	}

	@Test
	void ignoresBlankAndVeryShortValues() {
		Redactor redactor = new Redactor();
		redactor.addSecret("ab");
		redactor.addSecret("   ");
		redactor.addSecret(null);
		assertThat(redactor.redact("ab cd")).isEqualTo("ab cd");
		assertThat(redactor.redact(null)).isNull();
	}

	@Test
	void toStringShowsNoSecret() {
		Redactor redactor = new Redactor();
		redactor.addSecret("e2b_0123456789abcdef");
		assertThat(redactor.toString()).doesNotContain("e2b_0123456789abcdef").contains("1 secret");
	}

}
