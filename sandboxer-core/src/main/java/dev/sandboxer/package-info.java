/**
 * Sandboxer's entry points: {@link dev.sandboxer.Sandboxer} and {@link dev.sandboxer.Sandbox} (blocking),
 * {@link dev.sandboxer.AsyncSandboxer} and {@link dev.sandboxer.AsyncSandbox} (asynchronous).
 */
@NullMarked
package dev.sandboxer;

import org.jspecify.annotations.NullMarked;
