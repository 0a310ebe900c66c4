/**
 * Health of the configured Sandboxer providers.
 */
@NullMarked
package dev.sandboxer.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
