package dev.sandboxer.ai;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How {@link ConversationSandboxes} makes and ends sandboxes.
 *
 * @param maxSandboxes how many conversations may hold a sandbox at once; the next one is refused until one ends
 * @param idleTimeout a sandbox no tool has used for this long is killed
 * @param maxLifetime a sandbox is killed this long after its creation, however busy; it is also the lifetime the
 * sandbox is created with, so the provider ends it by itself even if this application dies
 * @param template the image or template of new sandboxes; the provider entry's default when {@code null}
 */
public record ConversationSandboxesSettings(int maxSandboxes, Duration idleTimeout, Duration maxLifetime,
		@Nullable String template) {

	/** Ten sandboxes, killed after 10 minutes unused or 1 hour in all, from the entry's default template. */
	public static final ConversationSandboxesSettings DEFAULTS = new ConversationSandboxesSettings(10,
			Duration.ofMinutes(10), Duration.ofHours(1), null);

	public ConversationSandboxesSettings {
		if (maxSandboxes < 1) {
			throw new IllegalArgumentException("maxSandboxes must be at least 1, got " + maxSandboxes);
		}
		requirePositive(idleTimeout, "idleTimeout");
		requirePositive(maxLifetime, "maxLifetime");
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isZero() || duration.isNegative()) {
			throw new IllegalArgumentException(name + " must be positive, got " + duration);
		}
	}

}
