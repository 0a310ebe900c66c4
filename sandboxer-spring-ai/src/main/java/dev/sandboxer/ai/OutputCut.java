package dev.sandboxer.ai;

/**
 * Text cut to a number of characters, keeping its start and its end: a command's first lines say what it did, its
 * last ones how it failed.
 *
 * @param text the text, cut or whole
 * @param originalLength how many characters there were
 * @param truncated whether characters were cut
 */
record OutputCut(String text, int originalLength, boolean truncated) {

	static OutputCut of(String text, int maxChars) {
		if (text.length() <= maxChars) {
			return new OutputCut(text, text.length(), false);
		}
		int cut = text.length() - maxChars;
		String marker = "\n[... " + cut + " characters cut ...]\n";
		int keep = Math.max(0, maxChars - marker.length());
		int head = keep / 2;
		int tail = keep - head;
		// Never split a surrogate pair: a lone half is not valid text in JSON.
		if (head > 0 && Character.isHighSurrogate(text.charAt(head - 1))) {
			head--;
		}
		int tailStart = text.length() - tail;
		if (tailStart < text.length() && Character.isLowSurrogate(text.charAt(tailStart))) {
			tailStart++;
		}
		return new OutputCut(text.substring(0, head) + marker + text.substring(tailStart), text.length(), true);
	}

}
