package dev.sandboxer.provider.blaxel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The terminals one provider has open, by sandbox and pid, so that another handle on the same sandbox finds them and
 * closing the provider (or killing the sandbox) closes their sockets. sandbox-api lists no terminals, so these are
 * the only ones this client can reach.
 */
final class TerminalSockets {

	private final Map<String, BlaxelTerminal> open = new ConcurrentHashMap<>();

	void put(String sandbox, BlaxelTerminal terminal) {
		this.open.put(key(sandbox, terminal.pid()), terminal);
	}

	@Nullable BlaxelTerminal get(String sandbox, int pid) {
		return this.open.get(key(sandbox, pid));
	}

	/** Forgets the terminal if it is still the one registered under its pid. */
	void remove(String sandbox, BlaxelTerminal terminal) {
		this.open.remove(key(sandbox, terminal.pid()), terminal);
	}

	List<BlaxelTerminal> of(String sandbox) {
		List<BlaxelTerminal> found = new ArrayList<>();
		this.open.forEach((key, terminal) -> {
			if (key.startsWith(sandbox + "/")) {
				found.add(terminal);
			}
		});
		return found;
	}

	/** Closes the sockets of one sandbox's terminals. */
	void closeAll(String sandbox) {
		of(sandbox).forEach(BlaxelTerminal::close);
	}

	void closeAll() {
		List.copyOf(this.open.values()).forEach(BlaxelTerminal::close);
	}

	private static String key(String sandbox, int pid) {
		return sandbox + "/" + pid;
	}

}
