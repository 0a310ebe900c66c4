package dev.sandboxer.autoconfigure.http;

import reactor.netty.http.client.HttpClient;

/**
 * Changes the Reactor Netty client of a vendor provider's entry (the {@code local} provider talks to Docker and has
 * none): for anything the {@code proxy} and {@code ssl} properties do not cover, such as a wiretap or a custom
 * resolver. Beans of this type are applied to every entry, in order, after those properties.
 */
@FunctionalInterface
public interface SandboxerHttpClientCustomizer {

	/**
	 * @param entry the entry's name under {@code sandboxer.providers}, to tell entries apart
	 * @return the client to use; Reactor Netty's clients are immutable, so return the changed copy
	 */
	HttpClient customize(String entry, HttpClient httpClient);

}
