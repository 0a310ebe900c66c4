/**
 * The HTTP client of vendor providers in a Spring Boot application: proxies, SSL bundles, customizers and
 * {@code http.client.requests} observations.
 */
@NullMarked
package dev.sandboxer.autoconfigure.http;

import org.jspecify.annotations.NullMarked;
