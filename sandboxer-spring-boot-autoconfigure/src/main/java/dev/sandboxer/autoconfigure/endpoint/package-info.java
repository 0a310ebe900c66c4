/**
 * The {@code sandboxes} Actuator endpoint.
 */
@NullMarked
package dev.sandboxer.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
