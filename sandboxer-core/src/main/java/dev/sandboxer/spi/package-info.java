/**
 * The contract between Sandboxer and a sandbox host, and how providers are found.
 */
@NullMarked
package dev.sandboxer.spi;

import org.jspecify.annotations.NullMarked;
