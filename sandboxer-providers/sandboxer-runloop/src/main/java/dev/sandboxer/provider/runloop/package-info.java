/**
 * Runloop devboxes as sandboxes: the provider, its settings and its whole wire contract (runloopai/api-client-python
 * at ae5ffd5f, the Stainless client generated from Runloop's OpenAPI).
 */
@NullMarked
package dev.sandboxer.provider.runloop;

import org.jspecify.annotations.NullMarked;
