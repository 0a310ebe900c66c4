package dev.sandboxer.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON schema of a tool's arguments, written for a model to read: every property has a description, and only the
 * arguments a call cannot do without are {@code required} (Spring AI's generated schemas require them all).
 */
final class ToolSchema {

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final List<String> required = new ArrayList<>();

	ToolSchema requiredString(String name, String description) {
		this.required.add(name);
		return property(name, Map.of("type", "string", "description", description));
	}

	ToolSchema optionalString(String name, String description) {
		return property(name, Map.of("type", "string", "description", "Optional. " + description));
	}

	ToolSchema optionalInteger(String name, long minimum, long maximum, String description) {
		Map<String, Object> property = new LinkedHashMap<>();
		property.put("type", "integer");
		property.put("minimum", minimum);
		property.put("maximum", maximum);
		property.put("description", "Optional. " + description);
		return property(name, property);
	}

	private ToolSchema property(String name, Map<String, Object> property) {
		this.properties.put(name, property);
		return this;
	}

	String toJson(JsonMapper json) {
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("type", "object");
		schema.put("properties", this.properties);
		schema.put("required", this.required);
		schema.put("additionalProperties", false);
		return json.writeValueAsString(schema);
	}

}
