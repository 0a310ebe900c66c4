package dev.sandboxer.provider.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A tar stream for the Engine's archive upload: some directories and at most one file, whose content is streamed
 * from its source rather than held in memory. Names longer than the 100 bytes of a ustar header, sizes of 8 GiB and
 * more and large ids go into a PAX extended header, which the Engine's Go tar reader understands.
 */
final class TarUpload {

	private static final int BLOCK = 512;

	private static final long MAX_OCTAL_SIZE = 077777777777L;

	private static final long MAX_OCTAL_ID = 07777777L;

	private TarUpload() {
	}

	/**
	 * @param directories names (relative to the upload's target) of directories to make, parents first
	 * @param file the file to write after them, if any
	 * @param owner uid and gid for every entry; {@code null} writes 0 and leaves ownership to the Engine
	 */
	static InputStream of(List<String> directories, @Nullable FileEntry file, @Nullable Owner owner) {
		long now = System.currentTimeMillis() / 1000;
		ByteArrayOutputStream headers = new ByteArrayOutputStream();
		for (String directory : directories) {
			writeHeader(headers, directory + "/", 0, 0755, '5', owner, now);
		}
		if (file == null) {
			headers.writeBytes(new byte[2 * BLOCK]);
			return new ByteArrayInputStream(headers.toByteArray());
		}
		writeHeader(headers, file.name(), file.size(), file.mode(), '0', owner, now);
		int padding = (int) ((BLOCK - (file.size() % BLOCK)) % BLOCK);
		List<InputStream> parts = List.of(new ByteArrayInputStream(headers.toByteArray()),
				new ExactLength(file.content(), file.size()), new ByteArrayInputStream(new byte[padding + 2 * BLOCK]));
		return new SequenceInputStream(Collections.enumeration(parts));
	}

	private static void writeHeader(ByteArrayOutputStream out, String name, long size, int mode, char type,
			@Nullable Owner owner, long mtime) {
		byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
		long uid = (owner != null) ? owner.uid() : 0;
		long gid = (owner != null) ? owner.gid() : 0;
		List<String> pax = new ArrayList<>();
		if (nameBytes.length > 100) {
			pax.add(paxRecord("path", name));
		}
		if (size > MAX_OCTAL_SIZE) {
			pax.add(paxRecord("size", Long.toString(size)));
		}
		if (uid > MAX_OCTAL_ID) {
			pax.add(paxRecord("uid", Long.toString(uid)));
		}
		if (gid > MAX_OCTAL_ID) {
			pax.add(paxRecord("gid", Long.toString(gid)));
		}
		if (!pax.isEmpty()) {
			byte[] records = String.join("", pax).getBytes(StandardCharsets.UTF_8);
			out.writeBytes(header("PaxHeaders/entry".getBytes(StandardCharsets.US_ASCII), records.length, 0644, 'x', 0,
					0, mtime));
			out.writeBytes(records);
			out.writeBytes(new byte[(BLOCK - records.length % BLOCK) % BLOCK]);
		}
		byte[] shortName = (nameBytes.length > 100) ? truncate(nameBytes, 100) : nameBytes;
		out.writeBytes(header(shortName, Math.min(size, MAX_OCTAL_SIZE), mode, type, Math.min(uid, MAX_OCTAL_ID),
				Math.min(gid, MAX_OCTAL_ID), mtime));
	}

	private static byte[] header(byte[] name, long size, int mode, char type, long uid, long gid, long mtime) {
		byte[] block = new byte[BLOCK];
		System.arraycopy(name, 0, block, 0, name.length);
		octal(block, 100, 8, mode);
		octal(block, 108, 8, uid);
		octal(block, 116, 8, gid);
		octal(block, 124, 12, size);
		octal(block, 136, 12, mtime);
		block[156] = (byte) type;
		System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 6);
		block[263] = '0';
		block[264] = '0';
		// The checksum is computed with its own field read as eight spaces.
		for (int i = 148; i < 156; i++) {
			block[i] = ' ';
		}
		long sum = 0;
		for (byte b : block) {
			sum += b & 0xff;
		}
		octal(block, 148, 7, sum);
		block[155] = ' ';
		return block;
	}

	/** Zero-padded octal digits ending in NUL, filling {@code width} bytes. */
	private static void octal(byte[] block, int offset, int width, long value) {
		String digits = Long.toOctalString(value);
		int pad = width - 1 - digits.length();
		for (int i = 0; i < width - 1; i++) {
			block[offset + i] = (byte) ((i < pad) ? '0' : digits.charAt(i - pad));
		}
		block[offset + width - 1] = 0;
	}

	/** {@code "<length> key=value\n"}, where the length counts the whole record, its own digits included. */
	private static String paxRecord(String key, String value) {
		int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
		int length = body + Integer.toString(body).length();
		if (Integer.toString(length).length() != Integer.toString(body).length()) {
			length = body + Integer.toString(length).length();
		}
		return length + " " + key + "=" + value + "\n";
	}

	/** Cuts at a byte limit without leaving half a UTF-8 character (only a placeholder: PAX carries the name). */
	private static byte[] truncate(byte[] bytes, int limit) {
		int end = limit;
		while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
			end--;
		}
		byte[] cut = new byte[end];
		System.arraycopy(bytes, 0, cut, 0, end);
		return cut;
	}

	/**
	 * A file entry.
	 *
	 * @param name its name relative to the upload's target
	 * @param size its exact length in bytes
	 * @param mode its permission bits
	 * @param content exactly {@code size} bytes
	 */
	record FileEntry(String name, long size, int mode, InputStream content) {

	}

	/** Numeric owner of the entries. */
	record Owner(long uid, long gid) {

	}

	/** Passes on exactly the announced number of bytes, failing if the source ends early. */
	private static final class ExactLength extends InputStream {

		private final InputStream source;

		private long remaining;

		ExactLength(InputStream source, long length) {
			this.source = source;
			this.remaining = length;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.remaining == 0) {
				return -1;
			}
			int n = this.source.read(buffer, offset, (int) Math.min(length, this.remaining));
			if (n < 0) {
				throw new IOException("The content ended " + this.remaining + " bytes before its announced length");
			}
			this.remaining -= n;
			return n;
		}

		@Override
		public void close() throws IOException {
			this.source.close();
		}

	}

}
