package dev.sandboxer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.StringJoiner;

import dev.sandboxer.spi.ProviderFactory;

import static dev.sandboxer.config.ProviderSetting.COMMAND_TIMEOUT;

/**
 * Writes Spring Boot configuration metadata ({@code META-INF/spring-configuration-metadata.json}) for the settings
 * that the provider factories on the class path declare, so that an IDE completes and describes
 * {@code sandboxer.providers.<type>.<key>}. Each provider module's build runs it on its own classes; core itself
 * holds no factory.
 * <p>
 * Spring Boot's metadata format has no wildcard for a map key, so the properties are written under the entry named
 * after the type ({@code sandboxer.providers.e2b.template}), the form the README uses; an entry of another name that
 * sets {@code type} takes the same keys.
 */
public final class SettingsMetadataWriter {

	private SettingsMetadataWriter() {
	}

	/** {@code args[0]}: the file to write. */
	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			throw new IllegalArgumentException("usage: SettingsMetadataWriter <output file>");
		}
		List<ProviderFactory> factories = new ArrayList<>();
		ServiceLoader.load(ProviderFactory.class, Thread.currentThread().getContextClassLoader())
			.forEach(factories::add);
		if (factories.isEmpty()) {
			throw new IllegalStateException("No ProviderFactory is listed in META-INF/services on the class path");
		}
		Path output = Path.of(args[0]);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, json(factories), StandardCharsets.UTF_8);
	}

	/** The metadata document for these factories. */
	public static String json(List<ProviderFactory> factories) {
		StringJoiner groups = new StringJoiner(",\n", "", "");
		StringJoiner properties = new StringJoiner(",\n", "", "");
		StringJoiner typeValues = new StringJoiner(",\n", "", "");
		for (ProviderFactory factory : factories) {
			String type = factory.name().id();
			String prefix = "sandboxer.providers." + type;
			groups.add(object("name", prefix, "description", "Settings of the '" + type
					+ "' provider. An entry of another name with 'type: " + type + "' takes the same keys."));
			typeValues.add(object("value", type, "description", factory.description()));
			// The keys every entry takes, repeated here because the metadata format cannot describe them under a
			// map key; api-key and base-url come from the factory when it reads them.
			properties.add(object("name", prefix + ".type", "type", String.class.getName(), "description",
					"Provider type of this entry; '" + type + "' when the entry is named so.", "defaultValue", type));
			properties.add(object("name", prefix + ".default-timeout", "type", Duration.class.getName(),
					"description", "Timeout of calls that set none.", "defaultValue", "30s"));
			if (factory.settings().stream().noneMatch((setting) -> setting.key().equals(COMMAND_TIMEOUT.key()))) {
				properties.add(object("name", prefix + "." + COMMAND_TIMEOUT.key(), "type", Duration.class.getName(),
						"description", COMMAND_TIMEOUT.description(), "defaultValue", COMMAND_TIMEOUT.defaultValue()));
			}
			for (ProviderSetting setting : factory.settings()) {
				String description = setting.description() + environmentNote(setting);
				properties.add((setting.defaultValue() != null)
						? object("name", prefix + "." + setting.key(), "type", setting.type().getName(),
								"description", description, "defaultValue", setting.defaultValue())
						: object("name", prefix + "." + setting.key(), "type", setting.type().getName(),
								"description", description));
			}
		}
		// The same values twice: as names of entries (the name is the type unless 'type' is set) and as types.
		String hints = "{\"name\": \"sandboxer.providers.keys\", \"values\": [\n" + typeValues + "\n]},\n"
				+ "{\"name\": \"sandboxer.providers.values.type\", \"values\": [\n" + typeValues + "\n]}";
		return "{\n\"groups\": [\n" + groups + "\n],\n\"properties\": [\n" + properties + "\n],\n\"hints\": [\n"
				+ hints + "\n]\n}\n";
	}

	private static String environmentNote(ProviderSetting setting) {
		List<String> variables = setting.environmentVariables();
		return variables.isEmpty() ? "" : " When not set, the environment variable " + String.join(" or ", variables)
				+ " is read.";
	}

	private static String object(String... keysAndValues) {
		StringJoiner members = new StringJoiner(", ", "{", "}");
		for (int i = 0; i < keysAndValues.length; i += 2) {
			members.add(quote(keysAndValues[i]) + ": " + quote(keysAndValues[i + 1]));
		}
		return members.toString();
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
