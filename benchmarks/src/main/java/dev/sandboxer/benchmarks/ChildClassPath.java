package dev.sandboxer.benchmarks;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The class paths a fresh child JVM of a benchmark runs with. A fresh JVM's first call pays for every jar it opens
 * on the way to a class, in class-path order; this module's class path also carries what only the benchmarks need
 * (WireMock, the E2B provider and its Spring and Netty stack), ahead of logging. {@link #localUser} leaves those out,
 * as a command-line program that uses only the {@code local} provider would have them; {@link #whole} keeps them.
 */
final class ChildClassPath {

	/**
	 * Parts of a Maven repository path that belong to the benchmarks' harness or to other providers. A jar this list
	 * misses stays in, which can only make the {@code local} user's figure slower.
	 */
	private static final List<String> NOT_LOCAL = List.of("/org/wiremock/", "/dev/sandboxer/sandboxer-e2b/",
			"/dev/sandboxer/sandboxer-http/", "/org/springframework/", "/io/projectreactor/", "/io/netty/",
			"/tools/jackson/", "/org/reactivestreams/", "/commons-logging/");

	private ChildClassPath() {
	}

	/** This JVM's class path; under {@code exec:java} the project's is its loader's, not the JVM's. */
	static String whole() throws URISyntaxException {
		if (ChildClassPath.class.getClassLoader() instanceof URLClassLoader loader) {
			StringBuilder paths = new StringBuilder();
			for (URL url : loader.getURLs()) {
				paths.append((paths.length() > 0) ? File.pathSeparator : "").append(Path.of(url.toURI()));
			}
			return paths.toString();
		}
		return System.getProperty("java.class.path");
	}

	/** {@code whole} without the jars only the harness and other providers need, in the same order. */
	static String localUser(String whole) {
		return Arrays.stream(whole.split(File.pathSeparator))
			.filter((entry) -> NOT_LOCAL.stream().noneMatch(entry.replace(File.separatorChar, '/')::contains))
			.collect(Collectors.joining(File.pathSeparator));
	}

}
