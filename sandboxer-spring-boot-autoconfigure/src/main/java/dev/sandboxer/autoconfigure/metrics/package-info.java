/**
 * Sandboxer's meters beside the {@code sandboxer.operation} timer: sandboxes held, created and killed.
 */
@NullMarked
package dev.sandboxer.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
