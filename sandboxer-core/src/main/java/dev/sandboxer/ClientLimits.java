package dev.sandboxer;

import java.time.Duration;

/**
 * The bounds the client faces apply to every provider alike, so that no call waits or grows without end.
 *
 * @param commandTimeout the timeout of a {@code runCommand} whose request sets none
 * @param maxOutputChars how much of each of a command's streams a {@code CommandResult} keeps
 * @param maxReadFileBytes the largest file {@code readFile} returns whole
 */
record ClientLimits(Duration commandTimeout, int maxOutputChars, long maxReadFileBytes) {

}
