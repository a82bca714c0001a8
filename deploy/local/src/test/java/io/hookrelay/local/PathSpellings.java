package io.hookrelay.local;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Other spellings of one API path: the ways a router, a framework or a service might read a path
 * differently from the raw bytes an authentication check looked at (percent-escapes, double
 * encoding, matrix parameters, dot and empty segments, case, backslashes, an encoded slash inside an
 * id). Each must be refused or find nothing — never reach the operation the original names.
 */
final class PathSpellings {

    /** One spelling: what it tries, and the request target as sent (raw, nothing re-encoded). */
    record Spelling(String name, String target) {

        boolean isOriginal() {
            return name.equals("original");
        }
    }

    private PathSpellings() {}

    /**
     * @param segments the path's segments, without slashes ({@code api, v1, app, app_…})
     * @param ids the positions of segments that are ids (filled in from a template), not fixed words
     */
    static List<Spelling> of(List<String> segments, Set<Integer> ids) {
        List<Spelling> spellings = new ArrayList<>();
        spellings.add(new Spelling("original", join(segments)));
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (!ids.contains(i)) {
                spellings.add(new Spelling("percent-encoded letter", join(replace(segments, i, percentEncodeFirst(segment, "%")))));
                spellings.add(new Spelling("double-encoded letter", join(replace(segments, i, percentEncodeFirst(segment, "%25")))));
            } else {
                String next = i + 1 < segments.size() ? segments.get(i + 1) : "..";
                List<String> merged = new ArrayList<>(segments.subList(0, i));
                merged.add(segment + "%2F" + next);
                merged.addAll(segments.subList(Math.min(i + 2, segments.size()), segments.size()));
                spellings.add(new Spelling("encoded slash in an id", join(merged)));
            }
            spellings.add(new Spelling("matrix parameter", join(replace(segments, i, segment + ";x"))));
        }
        for (int at : new int[] {1, segments.size() - 1}) {
            spellings.add(new Spelling("dot segment", join(insert(segments, at, "."))));
            spellings.add(new Spelling("dot-dot segment", join(insert(insert(segments, at, ".."), at, "x"))));
            spellings.add(new Spelling("empty segment", join(insert(segments, at, ""))));
        }
        spellings.add(new Spelling("upper-case prefix", join(replace(segments, 0, segments.getFirst().toUpperCase()))));
        spellings.add(new Spelling("mixed-case prefix", join(replace(replace(segments, 0, capitalise(segments.get(0))), 1,
                segments.size() > 1 ? segments.get(1).toUpperCase() : ""))));
        spellings.add(new Spelling("backslash", join(segments).replaceFirst("/([^/]*)$", "\\\\$1")));
        spellings.add(new Spelling("trailing dot segment", join(segments) + "/."));
        return spellings;
    }

    /** The segments of a path such as {@code /api/v1/app}. */
    static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    private static String join(List<String> segments) {
        return "/" + String.join("/", segments);
    }

    private static List<String> replace(List<String> segments, int at, String value) {
        List<String> copy = new ArrayList<>(segments);
        copy.set(at, value);
        return copy;
    }

    private static List<String> insert(List<String> segments, int at, String value) {
        List<String> copy = new ArrayList<>(segments);
        copy.add(Math.max(0, Math.min(at, copy.size())), value);
        return copy;
    }

    /** The first letter as an escape: {@code api} → {@code %61pi}, or {@code %2561pi} with prefix {@code %25}. */
    private static String percentEncodeFirst(String segment, String prefix) {
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isLetter(segment.charAt(i))) {
                return segment.substring(0, i) + prefix + HexFormat.of().toHexDigits((byte) segment.charAt(i)) + segment.substring(i + 1);
            }
        }
        return prefix + "2E" + segment;
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
