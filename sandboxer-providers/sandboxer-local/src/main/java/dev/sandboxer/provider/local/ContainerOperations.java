package dev.sandboxer.provider.local;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The provider's shared, stateless workers, handed to each sandbox handle so that handles stay cheap.
 *
 * @param engine the Engine connection and its threads
 * @param settings the provider's settings
 * @param exec process runner
 * @param files archive-endpoint file access
 * @param users user and group resolution
 * @param processes process listing and killing
 * @param background background commands
 * @param lifetime the sandbox's deadline
 * @param sessions {@code runCommand} through sessions inside the sandboxes
 */
record ContainerOperations(DockerEngine engine, LocalSettings settings, ContainerExec exec, ContainerFiles files,
		ContainerUsers users, ContainerProcesses processes, BackgroundCommands background, LifetimeKeeper lifetime,
		CommandSessions sessions) {

	/**
	 * @param socket the Engine's socket calls where they surely reach docker-java's Engine, else {@code null}; asked
	 * for each new session
	 */
	static ContainerOperations of(DockerEngine engine, LocalSettings settings,
			Supplier<@Nullable SocketEngineCalls> socket) {
		ContainerExec exec = new ContainerExec(engine);
		ContainerFiles files = new ContainerFiles(engine);
		ContainerUsers users = new ContainerUsers(files);
		return new ContainerOperations(engine, settings, exec, files, users,
				new ContainerProcesses(engine, exec, users), new BackgroundCommands(engine, exec, files),
				new LifetimeKeeper(files), new CommandSessions(engine, exec, links(engine, settings, socket),
						settings.sessions()));
	}

	private static Supplier<AgentLink> links(DockerEngine engine, LocalSettings settings,
			Supplier<@Nullable SocketEngineCalls> socket) {
		return () -> {
			SocketEngineCalls calls = socket.get();
			return (calls != null) ? new SocketAgentLink(engine, calls, settings.apiVersion())
					: new HijackedAgentLink(engine);
		};
	}

}
