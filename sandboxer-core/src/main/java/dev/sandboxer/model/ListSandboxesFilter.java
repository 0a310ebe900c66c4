package dev.sandboxer.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which sandboxes to list.
 *
 * @param metadata only sandboxes whose metadata holds every one of these entries (exact match)
 * @param limit at most this many; all of them when {@code null} (providers page through until it is met)
 */
public record ListSandboxesFilter(Map<String, String> metadata, @Nullable Integer limit) {

	private static final ListSandboxesFilter ALL = new ListSandboxesFilter(Map.of(), null);

	public ListSandboxesFilter {
		metadata = Map.copyOf(metadata);
		Requests.requirePositive(limit, "limit");
	}

	public static ListSandboxesFilter all() {
		return ALL;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Whether a sandbox with this metadata passes the filter. */
	public boolean matches(Map<String, String> sandboxMetadata) {
		return sandboxMetadata.entrySet().containsAll(this.metadata.entrySet());
	}

	/** Builds a {@link ListSandboxesFilter}. */
	public static final class Builder {

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private @Nullable Integer limit;

		private Builder() {
		}

		public Builder metadata(String key, String value) {
			this.metadata.put(key, value);
			return this;
		}

		public Builder limit(@Nullable Integer limit) {
			this.limit = limit;
			return this;
		}

		public ListSandboxesFilter build() {
			return new ListSandboxesFilter(this.metadata, this.limit);
		}

	}

}
