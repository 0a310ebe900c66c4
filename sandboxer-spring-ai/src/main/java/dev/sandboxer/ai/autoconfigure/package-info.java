/**
 * Auto-configuration of the sandbox tools for Spring AI, under {@code sandboxer.ai.*}.
 */
@NullMarked
package dev.sandboxer.ai.autoconfigure;

import org.jspecify.annotations.NullMarked;
