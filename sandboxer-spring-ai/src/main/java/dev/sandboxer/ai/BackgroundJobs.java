package dev.sandboxer.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The background commands one conversation started, by job id. Each writes its output (stdout and stderr together)
 * to a file in the sandbox and its exit code to another when it ends, so that its output can be read at any time
 * from any client, and survives this application's restart.
 */
final class BackgroundJobs {

	/** Where the jobs' scripts, output and exit codes live in the sandbox. */
	static final String DIRECTORY = "/tmp/sandboxer-jobs";

	/** At most this many jobs per conversation. */
	static final int MAX_JOBS = 32;

	private final Map<String, Job> jobs = new LinkedHashMap<>();

	private int reserved;

	private int next = 1;

	/** A new job id, or {@code null} when the conversation has as many jobs as it may. */
	synchronized @Nullable String reserve() {
		if (this.jobs.size() + this.reserved >= MAX_JOBS) {
			return null;
		}
		this.reserved++;
		return "job-" + this.next++;
	}

	/** Records a reserved job once it started, or frees its place when {@code job} is {@code null}. */
	synchronized void settle(@Nullable Job job) {
		this.reserved--;
		if (job != null) {
			this.jobs.put(job.id(), job);
		}
	}

	synchronized @Nullable Job get(String id) {
		return this.jobs.get(id);
	}

	synchronized Set<String> ids() {
		return Set.copyOf(this.jobs.keySet());
	}

	/**
	 * One background command.
	 * @param id the job id the model uses
	 * @param pid its shell's process id in the sandbox
	 */
	record Job(String id, int pid) {
	}

	static String scriptPath(String id) {
		return DIRECTORY + "/" + id + ".sh";
	}

	static String outputPath(String id) {
		return DIRECTORY + "/" + id + ".out";
	}

	static String exitCodePath(String id) {
		return DIRECTORY + "/" + id + ".exit";
	}

}
