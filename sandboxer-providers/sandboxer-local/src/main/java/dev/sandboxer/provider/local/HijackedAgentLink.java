package dev.sandboxer.provider.local;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.github.dockerjava.transport.DockerHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AgentLink} through docker-java: the exec made with its client, its start hijacked by its transport,
 * which copies {@link PtyInput} to the Engine on a thread of its own.
 */
final class HijackedAgentLink implements AgentLink {

	private final DockerEngine engine;

	private final PtyInput input = new PtyInput();

	private volatile DockerHttpClient.@Nullable Response response;

	private volatile boolean closed;

	HijackedAgentLink(DockerEngine engine) {
		this.engine = engine;
	}

	@Override
	public CompletableFuture<InputStream> open(String containerId, List<String> argv, @Nullable String user) {
		String subject = ContainerExec.subject(containerId);
		return this.engine.call(subject, (client) -> {
			String execId = ContainerExec.create(client, containerId, argv, List.of(), user, null)
				.withAttachStdin(true)
				.withTty(false)
				.exec()
				.getId();
			DockerHttpClient.Response started = this.engine.startAttached(execId, false, this.input, subject);
			this.response = started;
			if (this.closed) {
				// Closed while it was being made: nothing may stay open.
				started.close();
			}
			return started.getBody();
		});
	}

	@Override
	public void send(byte[] line) {
		this.input.send(line);
	}

	@Override
	public void close() {
		this.closed = true;
		this.input.close();
		DockerHttpClient.Response open = this.response;
		if (open != null) {
			open.close();
		}
	}

}
