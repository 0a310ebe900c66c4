package dev.sandboxer.provider.fly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

/**
 * A machine's file system behind {@code POST .../exec}, for the file tests: it reads the argv of each
 * {@code MachineExecRequest} (superfly/docs api/machines/openapi.json at 462dcb90), recognises the scripts of
 * {@link GuestFiles} by their text, and answers a {@code flydv1.ExecResponse} as a shell running them would, keeping
 * the files it was sent and serving them back. It also records how large each exec body was.
 */
final class FakeMachineFiles implements ResponseDefinitionTransformerV2 {

	static final String NAME = "fake-machine-files";

	final Map<String, byte[]> files = new ConcurrentHashMap<>();

	final Map<String, Integer> modes = new ConcurrentHashMap<>();

	final List<Integer> requestSizes = java.util.Collections.synchronizedList(new ArrayList<>());

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public ResponseDefinition transform(ServeEvent serveEvent) {
		String body = serveEvent.getRequest().getBodyAsString();
		this.requestSizes.add(body.length());
		JsonNode request = FlyStubs.JSON.readTree(body);
		List<String> argv = new ArrayList<>();
		request.get("command").forEach((word) -> argv.add(word.asString()));
		String script = argv.get(2);
		List<String> args = argv.subList(4, argv.size());
		String stdin = request.has("stdin") ? request.get("stdin").asString() : "";
		return okJson(run(script, args, stdin)).build();
	}

	private String run(String script, List<String> args, String stdin) {
		if (script.equals(GuestFiles.WRITE_CHUNK)) {
			byte[] chunk = Base64.getDecoder().decode(stdin);
			if (args.get(2).equals("new")) {
				this.files.put(args.get(0), chunk);
			}
			else {
				byte[] before = this.files.get(args.get(0));
				if (before == null) {
					return FlyStubs.execAnswer(44, "", "");
				}
				byte[] joined = Arrays.copyOf(before, before.length + chunk.length);
				System.arraycopy(chunk, 0, joined, before.length, chunk.length);
				this.files.put(args.get(0), joined);
			}
			return FlyStubs.execAnswer(0, "", "");
		}
		if (script.equals(GuestFiles.COMMIT)) {
			byte[] content = this.files.remove(args.get(0));
			if (content == null) {
				return FlyStubs.execAnswer(44, "", "");
			}
			this.files.put(args.get(1), content);
			if (!args.get(2).isEmpty()) {
				this.modes.put(args.get(1), Integer.parseInt(args.get(2), 8));
			}
			return FlyStubs.execAnswer(0, "", "");
		}
		if (script.equals(GuestFiles.READ_FIRST)) {
			byte[] content = this.files.get(args.get(0));
			if (content == null) {
				return FlyStubs.execAnswer(44, "", "");
			}
			int size = Integer.parseInt(args.get(1));
			return FlyStubs.execAnswer(0, "   " + content.length + "\n" + chunk(content, size, 0), "");
		}
		if (script.equals(GuestFiles.READ_CHUNK)) {
			byte[] content = this.files.get(args.get(0));
			if (content == null) {
				return FlyStubs.execAnswer(44, "", "");
			}
			return FlyStubs.execAnswer(0, chunk(content, Integer.parseInt(args.get(1)), Integer.parseInt(args.get(2))),
					"");
		}
		if (script.equals(GuestFiles.ABORT)) {
			this.files.remove(args.get(0));
			return FlyStubs.execAnswer(0, "", "");
		}
		return FlyStubs.execAnswer(2, "", "fake machine: unknown script");
	}

	/** Like {@code dd bs=size skip=index count=1 | base64}, with GNU's line breaks every 76 characters. */
	private static String chunk(byte[] content, int size, int index) {
		int from = Math.min(content.length, size * index);
		int to = Math.min(content.length, from + size);
		return Base64.getMimeEncoder().encodeToString(Arrays.copyOfRange(content, from, to));
	}

}
