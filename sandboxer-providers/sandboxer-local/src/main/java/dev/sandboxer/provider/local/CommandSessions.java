package dev.sandboxer.provider.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.sandboxer.CommandOutputListener;
import org.jspecify.annotations.Nullable;

/**
 * {@code runCommand} through persistent sessions inside the sandboxes ({@link SessionWorker}), a few milliseconds a
 * command instead of the ~50 ms of a Docker exec, with exec as the way round whatever a session cannot do.
 * <p>
 * <b>Bounds.</b> A session runs one command at a time; a sandbox gets one per command running at once, made on
 * demand, up to {@value #MAX_PER_SANDBOX}, and the provider at most {@value #MAX_TOTAL} in all (each holds a
 * streaming connection and a thread). A command that finds none free and the bound reached runs through exec, as
 * it would without sessions: nothing queues. A session left unused for {@link #IDLE_CLOSE} is closed unless it is
 * its sandbox's last; the last ends with its sandbox, or with this provider's {@link #close()}.
 * <p>
 * <b>Sessions are per user</b> (the Engine switches the user when it starts the session, as it does for an exec), so
 * any user an exec takes works, and an unknown user fails as it does on exec. A sandbox and user whose session could
 * not start (no {@code sh}, no {@code setsid}, an unknown user, a paused sandbox) run through exec for
 * {@link #RETRY_AFTER} before a session is tried again.
 */
final class CommandSessions implements AutoCloseable {

	static final int MAX_PER_SANDBOX = 16;

	static final int MAX_TOTAL = 128;

	static final Duration IDLE_CLOSE = Duration.ofSeconds(30);

	static final Duration RETRY_AFTER = Duration.ofSeconds(60);

	/** How many failed (sandbox, user) pairs are remembered; the oldest are forgotten first. */
	private static final int MAX_REMEMBERED_FAILURES = 1024;

	private final DockerEngine engine;

	private final ContainerExec exec;

	/** How each session reaches its agent: over the Engine's socket where that is sure, else through docker-java. */
	private final Supplier<AgentLink> links;

	private final boolean enabled;

	private final Map<String, Pool> pools = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	/** Sandboxes this provider paused: a paused agent would hold a command until its timeout. */
	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	/** Guarded by itself: (sandbox, user) to the nano time before which no session is tried. */
	private final Map<String, Long> failed = new LinkedHashMap<>(16, 0.75f, false) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > MAX_REMEMBERED_FAILURES;
		}
	};

	private volatile boolean closed;

	CommandSessions(DockerEngine engine, ContainerExec exec, Supplier<AgentLink> links, boolean enabled) {
		this.engine = engine;
		this.exec = exec;
		this.links = links;
		this.enabled = enabled;
	}

	/** Runs {@code sh -c command} as the exec path would, through a session when one can take it. */
	CompletableFuture<ExecOutcome> run(String containerId, String command, ExecSpec spec,
			CommandOutputListener listener) {
		if (!this.enabled || this.closed || this.paused.contains(containerId)) {
			return this.exec.run(containerId, spec, listener);
		}
		String id = SessionProtocol.newId();
		byte[] line = SessionProtocol.request(id, spec.cwd(), command, spec.env());
		if (line == null || recentlyFailed(containerId, spec.user())) {
			return this.exec.run(containerId, spec, listener);
		}
		for (int attempt = 0; attempt < 3; attempt++) {
			Pool pool = this.pools.computeIfAbsent(containerId, Pool::new);
			CompletableFuture<ExecOutcome> started = pool.run(id, line, spec, listener);
			if (started != null) {
				return started;
			}
			if (!pool.gone) {
				break;
			}
		}
		return this.exec.run(containerId, spec, listener);
	}

	void paused(String containerId, boolean isPaused) {
		if (isPaused) {
			this.paused.add(containerId);
			Pool pool = this.pools.get(containerId);
			if (pool != null) {
				pool.closeAll();
			}
		}
		else {
			this.paused.remove(containerId);
		}
	}

	/** The sandbox is gone: its sessions end with it; this only forgets them sooner. */
	void killed(String containerId) {
		this.paused.remove(containerId);
		Pool pool = this.pools.get(containerId);
		if (pool != null) {
			pool.closeAll();
		}
	}

	private boolean recentlyFailed(String containerId, @Nullable String user) {
		synchronized (this.failed) {
			Long until = this.failed.get(key(containerId, user));
			if (until == null) {
				return false;
			}
			if (System.nanoTime() - until > 0) {
				this.failed.remove(key(containerId, user));
				return false;
			}
			return true;
		}
	}

	private void rememberFailure(String containerId, @Nullable String user) {
		synchronized (this.failed) {
			this.failed.put(key(containerId, user), System.nanoTime() + RETRY_AFTER.toNanos());
		}
	}

	private static String key(String containerId, @Nullable String user) {
		return containerId + "\0" + ((user != null) ? user : "");
	}

	@Override
	public void close() {
		this.closed = true;
		for (Pool pool : List.copyOf(this.pools.values())) {
			pool.closeAll();
		}
	}

	/** The sessions of one sandbox. */
	final class Pool {

		private final String containerId;

		/** Guarded by this: idle sessions by user ("" for the default one). */
		private final Map<String, ArrayDeque<SessionWorker>> idle = new HashMap<>();

		/** Guarded by this: the user each live session runs as. */
		private final Map<SessionWorker, String> users = new HashMap<>();

		/** Set, under this, once it has no session and left the map; a new pool takes its place. */
		volatile boolean gone;

		/** Guarded by this: a sweep for unused sessions is due. */
		private boolean sweepScheduled;

		Pool(String containerId) {
			this.containerId = containerId;
		}

		/** The command on a free or new session; {@code null} when the bounds are reached or this pool is gone. */
		@Nullable CompletableFuture<ExecOutcome> run(String id, byte[] line, ExecSpec spec,
				CommandOutputListener listener) {
			String user = (spec.user() != null) ? spec.user() : "";
			SessionWorker worker = null;
			boolean fresh = false;
			synchronized (this) {
				if (this.gone) {
					return null;
				}
				ArrayDeque<SessionWorker> free = this.idle.get(user);
				while (free != null && !free.isEmpty() && worker == null) {
					SessionWorker candidate = free.pop();
					if (candidate.alive()) {
						worker = candidate;
					}
				}
				if (worker == null) {
					if (this.users.size() >= MAX_PER_SANDBOX
							|| CommandSessions.this.total.incrementAndGet() > MAX_TOTAL) {
						if (this.users.size() < MAX_PER_SANDBOX) {
							CommandSessions.this.total.decrementAndGet();
						}
						return null;
					}
					worker = new SessionWorker(CommandSessions.this.engine, CommandSessions.this.exec,
							CommandSessions.this.links.get(), this.containerId, this);
					this.users.put(worker, user);
					fresh = true;
				}
			}
			SessionCommand command = new SessionCommand(worker, id, line, spec, listener);
			return fresh ? worker.start(spec.user(), command) : worker.run(command);
		}

		/** A session marked its command's end on both streams: it can take the next command. */
		void release(SessionWorker worker) {
			boolean schedule;
			synchronized (this) {
				String user = this.users.get(worker);
				if (user == null || !worker.alive()) {
					return;
				}
				this.idle.computeIfAbsent(user, (key) -> new ArrayDeque<>()).push(worker);
				schedule = !this.sweepScheduled && this.users.size() > 1;
				this.sweepScheduled |= schedule;
			}
			if (schedule) {
				scheduleSweep();
			}
		}

		/** One timer per sandbox at most, however many commands it runs. */
		private void scheduleSweep() {
			CommandSessions.this.engine.scheduler()
				.schedule(this::closeUnused, IDLE_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Closes the sessions idle for {@link #IDLE_CLOSE}, the sandbox's last one excepted. */
		private void closeUnused() {
			List<SessionWorker> unused = new ArrayList<>();
			boolean again;
			synchronized (this) {
				int left = this.users.size();
				for (ArrayDeque<SessionWorker> free : this.idle.values()) {
					for (SessionWorker worker : List.copyOf(free)) {
						if (left > 1 && System.nanoTime() - worker.idleSince >= IDLE_CLOSE.toNanos()) {
							free.remove(worker);
							unused.add(worker);
							left--;
						}
					}
				}
				again = left > 1;
				this.sweepScheduled = again;
			}
			unused.forEach(SessionWorker::close);
			if (again) {
				scheduleSweep();
			}
		}

		/** A session ended; one that never became ready keeps sessions off this sandbox and user for a while. */
		void removed(SessionWorker worker, boolean neverReady) {
			String user;
			synchronized (this) {
				user = this.users.remove(worker);
				if (user == null) {
					return;
				}
				ArrayDeque<SessionWorker> free = this.idle.get(user);
				if (free != null) {
					free.remove(worker);
					if (free.isEmpty()) {
						this.idle.remove(user);
					}
				}
				if (this.users.isEmpty()) {
					this.gone = true;
					CommandSessions.this.pools.remove(this.containerId, this);
				}
			}
			CommandSessions.this.total.decrementAndGet();
			if (neverReady) {
				rememberFailure(this.containerId, user.isEmpty() ? null : user);
			}
		}

		void closeAll() {
			List<SessionWorker> all;
			synchronized (this) {
				all = new ArrayList<>(this.users.keySet());
			}
			all.forEach(SessionWorker::close);
		}

	}

}
