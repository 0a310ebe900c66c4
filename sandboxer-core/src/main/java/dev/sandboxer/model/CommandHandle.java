package dev.sandboxer.model;

/**
 * A command started in the background.
 *
 * @param pid its process id inside the sandbox, usable with {@code killProcess} and seen in {@code listProcesses}
 * @param handleId the id to pass to {@code waitForHandle}; valid from any client attached to the same sandbox
 */
public record CommandHandle(int pid, String handleId) {

}
