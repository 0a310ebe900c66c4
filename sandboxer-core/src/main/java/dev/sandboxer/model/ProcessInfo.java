package dev.sandboxer.model;

import org.jspecify.annotations.Nullable;

/**
 * A process running in a sandbox.
 *
 * @param pid its id in the sandbox's own process space (the one {@code killProcess} takes)
 * @param command its command line
 * @param user the user it runs as, when the provider says
 */
public record ProcessInfo(int pid, String command, @Nullable String user) {

}
