package dev.sandboxer.provider.local;

import java.net.URI;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import com.github.dockerjava.transport.SSLConfig;
import org.jspecify.annotations.Nullable;

/**
 * The TLS settings handed to docker-java's transport for an Engine on a Unix socket, where TLS is never spoken.
 * Given none, the transport builds the JVM's default TLS context all the same, and that reads and parses the whole
 * trust store ({@code cacerts}): about a fifth of docker-java's first-call set-up in a fresh JVM, spent before the
 * first command after a fast create can run. So a socket gets a context that trusts nothing and holds no key,
 * which costs none of that and could not make a connection if anything ever tried. TLS settings of the user's own
 * ({@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}) and every other kind of host are left as they are.
 */
final class UnusedTls {

	private UnusedTls() {
	}

	/** The settings to give the transport for {@code host}: {@code configured} unless it is a socket without TLS. */
	static @Nullable SSLConfig forHost(URI host, @Nullable SSLConfig configured) {
		if (configured != null || !"unix".equals(host.getScheme())) {
			return configured;
		}
		return UnusedTls::trustNothing;
	}

	private static SSLContext trustNothing() throws NoSuchAlgorithmException, KeyManagementException {
		SSLContext context = SSLContext.getInstance("TLS");
		// Empty arrays, not null: null would load the default trust store this class exists to skip.
		context.init(new KeyManager[0], new TrustManager[0], null);
		return context;
	}

}
