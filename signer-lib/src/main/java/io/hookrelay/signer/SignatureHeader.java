package io.hookrelay.signer;

import java.util.ArrayList;
import java.util.List;

/** The parsed {@code webhook-signature} value: space-separated {@code version,signature} entries. */
record SignatureHeader(List<Entry> entries) {

    /** More entries than any honest sender uses are ignored, bounding the work per request. */
    static final int MAX_ENTRIES = 32;

    record Entry(String version, String value) {
    }

    /** Skips entries without a version or a value; the result may be empty, never null. */
    static SignatureHeader parse(String header) {
        List<Entry> entries = new ArrayList<>(2);
        int length = header.length();
        int i = 0;
        while (i < length && entries.size() < MAX_ENTRIES) {
            while (i < length && isSpace(header.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && !isSpace(header.charAt(i))) {
                i++;
            }
            if (i > start) {
                add(entries, header.substring(start, i));
            }
        }
        return new SignatureHeader(List.copyOf(entries));
    }

    boolean has(String version) {
        for (Entry entry : entries) {
            if (entry.version().equals(version)) {
                return true;
            }
        }
        return false;
    }

    String versions() {
        return String.join(", ", entries.stream().map(Entry::version).toList());
    }

    private static void add(List<Entry> entries, String token) {
        int comma = token.indexOf(',');
        if (comma > 0 && comma < token.length() - 1) {
            entries.add(new Entry(token.substring(0, comma), token.substring(comma + 1)));
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
