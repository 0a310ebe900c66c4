package dev.sandboxer.provider.local;

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

	static ContainerOperations of(DockerEngine engine, LocalSettings settings) {
		ContainerExec exec = new ContainerExec(engine);
		ContainerFiles files = new ContainerFiles(engine);
		ContainerUsers users = new ContainerUsers(files);
		return new ContainerOperations(engine, settings, exec, files, users,
				new ContainerProcesses(engine, exec, users), new BackgroundCommands(engine, exec, files),
				new LifetimeKeeper(files), new CommandSessions(engine, exec, settings.sessions()));
	}

}
