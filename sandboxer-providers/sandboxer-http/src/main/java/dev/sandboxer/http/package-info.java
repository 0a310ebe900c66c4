/**
 * The HTTP toolkit every vendor provider shares: one pooled Reactor Netty {@code WebClient} per provider instance
 * ({@link dev.sandboxer.http.VendorHttpClient}), one mapping from HTTP answers and transport failures to the typed
 * errors ({@link dev.sandboxer.http.HttpFailures}), retries for calls that are safe to repeat, per-call timeouts,
 * redaction of credentials ({@link dev.sandboxer.http.Redactor}), and the Connect protocol
 * ({@link dev.sandboxer.http.ConnectClient}).
 * <p>
 * A provider builds one {@code VendorHttpClient}, describes each request with an {@link dev.sandboxer.http.HttpCall},
 * and never sees a Netty or Jackson exception.
 */
@NullMarked
package dev.sandboxer.http;

import org.jspecify.annotations.NullMarked;
