package dev.sandboxer.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.sandboxer.error.NotFoundException;
import org.jspecify.annotations.Nullable;

/**
 * Resolves user and group names the way the container itself would, by reading its {@code /etc/passwd} and
 * {@code /etc/group} through the archive endpoint: no process is started. Blocking; for engine threads.
 */
final class ContainerUsers {

	private static final ContainerPath PASSWD = ContainerPath.of("/etc/passwd");

	private static final ContainerPath GROUP = ContainerPath.of("/etc/group");

	private final ContainerFiles files;

	ContainerUsers(ContainerFiles files) {
		this.files = files;
	}

	/**
	 * The numeric owner for {@code user}, {@code uid}, {@code user:group} or {@code uid:gid}; a user without a group
	 * gets their primary group.
	 * @throws NotFoundException when a name is not known in the container
	 */
	TarUpload.Owner resolve(String containerId, String user) {
		int colon = user.indexOf(':');
		String userPart = (colon >= 0) ? user.substring(0, colon) : user;
		String groupPart = (colon >= 0) ? user.substring(colon + 1) : null;
		long uid;
		Long primaryGid = null;
		if (isNumber(userPart)) {
			uid = Long.parseLong(userPart);
			if (groupPart == null) {
				primaryGid = table(containerId, PASSWD).entrySet()
					.stream()
					.filter((entry) -> entry.getValue()[0] == uid)
					.map((entry) -> entry.getValue()[1])
					.findFirst()
					.orElse(uid);
			}
		}
		else {
			long[] entry = table(containerId, PASSWD).get(userPart);
			if (entry == null) {
				throw new NotFoundException(EngineErrors.PROVIDER, "No user '" + userPart + "' in /etc/passwd of "
						+ ContainerExec.subject(containerId));
			}
			uid = entry[0];
			primaryGid = entry[1];
		}
		if (groupPart == null) {
			return new TarUpload.Owner(uid, primaryGid);
		}
		if (isNumber(groupPart)) {
			return new TarUpload.Owner(uid, Long.parseLong(groupPart));
		}
		long[] group = table(containerId, GROUP).get(groupPart);
		if (group == null) {
			throw new NotFoundException(EngineErrors.PROVIDER, "No group '" + groupPart + "' in /etc/group of "
					+ ContainerExec.subject(containerId));
		}
		return new TarUpload.Owner(uid, group[0]);
	}

	/** Name to numbers: {@code /etc/passwd} gives uid and gid, {@code /etc/group} gives the gid. */
	private Map<String, long[]> table(String containerId, ContainerPath file) {
		Optional<InputStream> content = this.files.openIfPresent(containerId, file);
		if (content.isEmpty()) {
			return Map.of();
		}
		String text;
		try (InputStream in = content.get()) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, long[]> table = new HashMap<>();
		for (String line : text.split("\n")) {
			String[] fields = line.split(":", -1);
			if (fields.length >= 3 && isNumber(fields[2])) {
				long first = Long.parseLong(fields[2]);
				long second = (fields.length >= 4 && isNumber(fields[3])) ? Long.parseLong(fields[3]) : first;
				table.putIfAbsent(fields[0], new long[] { first, second });
			}
		}
		return table;
	}

	private static boolean isNumber(@Nullable String value) {
		return value != null && !value.isEmpty() && value.length() < 12
				&& value.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	/** The user table of a container, for turning uids into names. */
	Map<Long, String> userNames(String containerId) {
		Map<Long, String> names = new HashMap<>();
		table(containerId, PASSWD).forEach((name, ids) -> names.putIfAbsent(ids[0], name));
		return names;
	}

}
