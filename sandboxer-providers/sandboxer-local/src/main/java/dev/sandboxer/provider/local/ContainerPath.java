package dev.sandboxer.provider.local;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path inside a container, made absolute and clean: a relative path is taken from {@code /} (as the Engine's
 * archive endpoints take it), {@code .} and empty segments go, {@code ..} goes up. Any other character, quotes,
 * {@code $(...)}, spaces and newlines included, is part of a name and stays as it is.
 */
record ContainerPath(String value) {

	static final ContainerPath ROOT = new ContainerPath("/");

	static ContainerPath of(String path) {
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
		return names.isEmpty() ? ROOT : new ContainerPath("/" + String.join("/", names));
	}

	boolean isRoot() {
		return this.value.equals("/");
	}

	/** The last name; empty for the root. */
	String name() {
		return this.value.substring(this.value.lastIndexOf('/') + 1);
	}

	/** The directory holding it; the root for the root. */
	ContainerPath parent() {
		int slash = this.value.lastIndexOf('/');
		return (slash <= 0) ? ROOT : new ContainerPath(this.value.substring(0, slash));
	}

	/** This path seen from an ancestor, without a leading slash ({@code a/b} for {@code /x/a/b} from {@code /x}). */
	String relativeTo(ContainerPath ancestor) {
		return ancestor.isRoot() ? this.value.substring(1) : this.value.substring(ancestor.value.length() + 1);
	}

	ContainerPath child(String name) {
		return new ContainerPath(isRoot() ? "/" + name : this.value + "/" + name);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
