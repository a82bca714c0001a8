package io.hookrelay.signer;

import java.util.StringJoiner;

/**
 * The parsed {@code webhook-signature} value: space-separated {@code version,signature} entries,
 * kept as offsets into the header so that verifying allocates next to nothing.
 */
final class SignatureHeader {

    /** More entries than any honest sender uses are ignored, bounding the work per request. */
    static final int MAX_ENTRIES = 32;

    private final String header;
    /** Per entry: start, comma, end (exclusive). */
    private final int[] bounds;
    private final int size;

    private SignatureHeader(String header, int[] bounds, int size) {
        this.header = header;
        this.bounds = bounds;
        this.size = size;
    }

    /** Skips entries without a version or a value; the result may be empty. */
    static SignatureHeader parse(String header) {
        int[] bounds = new int[6];
        int size = 0;
        int length = header.length();
        int i = 0;
        while (i < length && size < MAX_ENTRIES) {
            while (i < length && isSpace(header.charAt(i))) {
                i++;
            }
            int start = i;
            int comma = -1;
            while (i < length && !isSpace(header.charAt(i))) {
                if (comma < 0 && header.charAt(i) == ',') {
                    comma = i;
                }
                i++;
            }
            if (comma > start && comma < i - 1) {
                if (bounds.length < 3 * (size + 1)) {
                    bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[3 * size] = start;
                bounds[3 * size + 1] = comma;
                bounds[3 * size + 2] = i;
                size++;
            }
        }
        return new SignatureHeader(header, bounds, size);
    }

    int size() {
        return size;
    }

    boolean isVersion(int entry, String version) {
        int start = bounds[3 * entry];
        return bounds[3 * entry + 1] - start == version.length()
                && header.regionMatches(start, version, 0, version.length());
    }

    boolean has(String version) {
        for (int entry = 0; entry < size; entry++) {
            if (isVersion(entry, version)) {
                return true;
            }
        }
        return false;
    }

    String value(int entry) {
        return header.substring(bounds[3 * entry + 1] + 1, bounds[3 * entry + 2]);
    }

    /**
     * Whether the entry's value equals the expected ASCII text, in time that depends on the
     * lengths only (public) and not on where the first difference is. A non-ASCII character
     * never equals an expected byte.
     */
    boolean valueEquals(int entry, byte[] expected) {
        int from = bounds[3 * entry + 1] + 1;
        if (bounds[3 * entry + 2] - from != expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= header.charAt(from + i) ^ expected[i];
        }
        return difference == 0;
    }

    String versions() {
        StringJoiner versions = new StringJoiner(", ");
        for (int entry = 0; entry < size; entry++) {
            versions.add(header.substring(bounds[3 * entry], bounds[3 * entry + 1]));
        }
        return versions.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
