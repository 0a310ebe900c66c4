package dev.sandboxer.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sandboxer.error.BadConfigException;

/** Reads durations the way Spring Boot does: {@code 30s}, {@code 500ms}, {@code 2m}, ISO-8601, or plain millis. */
final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");

	private Durations() {
	}

	static Duration parse(Object value, String key) {
		if (value instanceof Duration duration) {
			return duration;
		}
		if (value instanceof Number number) {
			return Duration.ofMillis(number.longValue());
		}
		String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
		Matcher matcher = SIMPLE.matcher(text);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
			return switch (unit) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1000);
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(text.toUpperCase(Locale.ROOT));
		}
		catch (DateTimeParseException ex) {
			throw new BadConfigException(null, ConfigKeys.kebab(key),
					"'" + ConfigKeys.kebab(key) + "' is not a duration: '" + value + "' (write it as 30s, 500ms or PT30S)");
		}
	}

}
