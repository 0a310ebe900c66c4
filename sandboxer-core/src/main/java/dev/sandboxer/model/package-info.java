/**
 * The data Sandboxer takes and gives: requests, sandbox and file information, command results.
 */
@NullMarked
package dev.sandboxer.model;

import org.jspecify.annotations.NullMarked;
