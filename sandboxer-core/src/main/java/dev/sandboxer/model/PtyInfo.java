package dev.sandboxer.model;

/**
 * A pseudo-terminal session in a sandbox.
 *
 * @param pid the id of the process attached to the terminal; the id the other PTY operations take
 * @param rows terminal height
 * @param cols terminal width
 */
public record PtyInfo(int pid, int rows, int cols) {

}
