/**
 * Provider settings.
 */
@NullMarked
package dev.sandboxer.config;

import org.jspecify.annotations.NullMarked;
