package dev.sandboxer.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /containers/create} for a {@link ContainerSpec}, written by hand: the fields are few and
 * fixed, and a JSON library's object mapper is what the fast create path exists to avoid loading. Fields follow the
 * Engine API's {@code ContainerConfig} and {@code HostConfig}, as docker-java sends them for the same container.
 */
final class CreateContainerJson {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private CreateContainerJson() {
	}

	static byte[] of(ContainerSpec spec) {
		StringBuilder json = new StringBuilder(2048).append('{');
		field(json, "Image").append(string(spec.image())).append(',');
		field(json, "Labels");
		object(json, spec.labels());
		json.append(',');
		field(json, "Env");
		array(json, spec.env());
		json.append(',');
		field(json, "Entrypoint");
		array(json, spec.entrypoint());
		json.append(',');
		field(json, "Cmd");
		array(json, spec.cmd());
		json.append(',');
		field(json, "StopSignal").append(string(spec.stopSignal())).append(',');
		field(json, "ExposedPorts").append('{');
		for (int i = 0; i < spec.ports().size(); i++) {
			json.append((i > 0) ? "," : "").append(string(spec.ports().get(i) + "/tcp")).append(":{}");
		}
		json.append("},");
		field(json, "HostConfig").append("{\"Init\":true,\"AutoRemove\":true");
		if (spec.nanoCpus() != null) {
			json.append(',');
			field(json, "NanoCpus").append(spec.nanoCpus().longValue());
		}
		if (spec.memoryBytes() != null) {
			json.append(',');
			field(json, "Memory").append(spec.memoryBytes().longValue()).append(',');
			field(json, "MemorySwap").append(spec.memoryBytes().longValue());
		}
		if (!spec.ports().isEmpty()) {
			json.append(',');
			field(json, "PortBindings").append('{');
			for (int i = 0; i < spec.ports().size(); i++) {
				// An empty host port makes the Engine pick a free one; the address keeps it off other machines.
				json.append((i > 0) ? "," : "")
					.append(string(spec.ports().get(i) + "/tcp"))
					.append(":[{\"HostIp\":")
					.append(string(spec.portBindAddress()))
					.append(",\"HostPort\":\"\"}]");
			}
			json.append('}');
		}
		json.append("}}");
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static StringBuilder field(StringBuilder json, String name) {
		return json.append('"').append(name).append("\":");
	}

	private static void object(StringBuilder json, Map<String, String> entries) {
		json.append('{');
		boolean first = true;
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			json.append(first ? "" : ",").append(string(entry.getKey())).append(':').append(string(entry.getValue()));
			first = false;
		}
		json.append('}');
	}

	private static void array(StringBuilder json, List<String> values) {
		json.append('[');
		for (int i = 0; i < values.size(); i++) {
			json.append((i > 0) ? "," : "").append(string(values.get(i)));
		}
		json.append(']');
	}

	/**
	 * A JSON string: quote, backslash and control characters escaped, and every UTF-16 surrogate written as
	 * {@code \}{@code uXXXX}, so a pair reaches the Engine as its character and a lone half stays valid JSON rather
	 * than turning into {@code ?} in UTF-8.
	 */
	static String string(String value) {
		StringBuilder out = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f) {
						out.append("\\u")
							.append(HEX[(c >> 12) & 0xf])
							.append(HEX[(c >> 8) & 0xf])
							.append(HEX[(c >> 4) & 0xf])
							.append(HEX[c & 0xf]);
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
