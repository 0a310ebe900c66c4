package dev.sandboxer.provider.fly;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path inside a machine, made absolute and clean: a relative path is taken from {@code /}, {@code .} and empty
 * segments go, {@code ..} goes up. Every other character (quotes, {@code $(...)}, spaces, newlines) is part of a
 * name and stays. Being absolute, it can never be read as an option by the tools it is handed to.
 */
final class GuestPath {

	private GuestPath() {
	}

	static String of(String path) {
		Deque<String> names = new ArrayDeque<>();
		for (String name : path.split("/")) {
			if (name.isEmpty() || name.equals(".")) {
				continue;
			}
			if (name.equals("..")) {
				names.pollLast();
			}
			else {
				names.addLast(name);
			}
		}
		return "/" + String.join("/", names);
	}

	static String parent(String absolute) {
		int slash = absolute.lastIndexOf('/');
		return (slash <= 0) ? "/" : absolute.substring(0, slash);
	}

	static String child(String directory, String name) {
		return directory.equals("/") ? "/" + name : directory + "/" + name;
	}

}
