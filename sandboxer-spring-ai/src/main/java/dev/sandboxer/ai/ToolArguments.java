package dev.sandboxer.ai;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON object a model called a tool with; every problem is a {@link ToolFailure} that names the argument. */
final class ToolArguments {

	private final JsonNode arguments;

	private ToolArguments(JsonNode arguments) {
		this.arguments = arguments;
	}

	static ToolArguments parse(JsonMapper json, @Nullable String input) {
		String text = (input == null || input.isBlank()) ? "{}" : input;
		JsonNode node;
		try {
			node = json.readTree(text);
		}
		catch (JacksonException ex) {
			throw ToolFailure.badArguments("The arguments are not valid JSON: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw ToolFailure.badArguments("The arguments must be a JSON object");
		}
		return new ToolArguments(node);
	}

	String requiredText(String name) {
		String value = optionalText(name);
		if (value == null || value.isBlank()) {
			throw ToolFailure.badArguments("'" + name + "' is required and must be a non-empty string");
		}
		return value;
	}

	/** A string; also accepted when empty, since writing an empty file is a thing to do. */
	String requiredString(String name) {
		String value = optionalText(name);
		if (value == null) {
			throw ToolFailure.badArguments("'" + name + "' is required and must be a string");
		}
		return value;
	}

	@Nullable String optionalText(String name) {
		JsonNode value = this.arguments.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw ToolFailure.badArguments("'" + name + "' must be a string");
		}
		return value.stringValue();
	}

	/** A whole number within bounds; a number written as a string ("30") is accepted, as models send those. */
	@Nullable Long optionalWholeNumber(String name, long min, long max) {
		JsonNode value = this.arguments.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		long number;
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			number = value.longValue();
		}
		else if (value.isString() && value.stringValue().strip().matches("-?\\d{1,18}")) {
			number = Long.parseLong(value.stringValue().strip());
		}
		else {
			throw ToolFailure.badArguments("'" + name + "' must be a whole number");
		}
		if (number < min || number > max) {
			throw ToolFailure.badArguments("'" + name + "' must be between " + min + " and " + max + ", got " + number);
		}
		return number;
	}

}
