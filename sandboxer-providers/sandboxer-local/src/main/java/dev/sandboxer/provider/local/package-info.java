/**
 * The {@code local} provider: sandboxes as containers of a Docker Engine, through docker-java over the Engine API
 * (never the {@code docker} command).
 * <p>
 * <b>Settings</b> (extras of the provider's config): {@code docker-host} (else {@code DOCKER_HOST}, else the Docker
 * context or the default socket), {@code image} (the default template, {@code alpine:latest}),
 * {@code api-version} (else {@code DOCKER_API_VERSION}; negotiated with the Engine when unset),
 * {@code port-bind-address} (where published ports listen, {@code 127.0.0.1}) and {@code command-timeout} (the
 * timeout of a command whose request sets none; the config's default timeout otherwise).
 * <p>
 * <b>What runs in the container.</b> Its main process is a small {@code sh} loop under Docker's init that sleeps until
 * the sandbox's deadline, which {@code setTimeout} can move ({@link dev.sandboxer.provider.local.LifetimeKeeper}); so
 * the image needs a POSIX {@code sh}, {@code sleep} and {@code date} (BusyBox and GNU userlands both work). Commands
 * are Engine execs of {@code sh -c <command>} with stdin closed. Paths reach a shell only as arguments, never inside a
 * script. A command's environment holds {@code SANDBOXER_EXEC_ID}, by which its process tree is found and killed at
 * its timeout. Background commands keep their state under {@code /tmp/.sandboxer-jobs}.
 * <p>
 * <b>Labels.</b> {@code sandboxer.managed=true}, {@code sandboxer.provider=local}, {@code sandboxer.meta.<key>} per
 * metadata entry (every byte of the key outside {@code [A-Za-z0-9._~-]} percent-encoded, so keys read back exactly),
 * {@code sandboxer.expires-at} (the deadline at creation), {@code sandboxer.cpus}, {@code sandboxer.memory-mb},
 * {@code sandboxer.deadline-file}. A moved deadline is carried in the container's name,
 * {@code sandboxer-<short id>-expires-<UTC time>}. A container without the first two labels is not a sandbox:
 * attaching to it, or killing it by id, gives {@code NotFoundException}.
 */
@NullMarked
package dev.sandboxer.provider.local;

import org.jspecify.annotations.NullMarked;
