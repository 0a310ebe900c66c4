/**
 * Micrometer observations of every Sandboxer operation: a {@code sandboxer.operation} timer and, with tracing, spans.
 */
@NullMarked
package dev.sandboxer.observation;

import org.jspecify.annotations.NullMarked;
