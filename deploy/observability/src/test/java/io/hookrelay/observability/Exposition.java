package io.hookrelay.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric families of a Prometheus text exposition, named as one queries them: a counter as
 * {@code x_total}, a histogram as {@code x_seconds} (its {@code _bucket}, {@code _count},
 * {@code _sum} and Micrometer's {@code _max} gauge belong to it), a gauge as itself.
 */
record Exposition(Map<String, String> families, String text) {

    /** One {@code name="value"} of a sample line; the value as written, escapes kept. */
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Labels that place a sample in its histogram or summary rather than tag it. */
    private static final Set<String> BUCKET_LABELS = Set.of("le", "quantile");

    static Exposition parse(String text) {
        Map<String, String> types = types(text);
        Map<String, String> families = new TreeMap<>();
        types.forEach((name, type) -> {
            if (!isMaxOfTimer(name, type, types)) {
                families.put(family(name, type, types), type);
            }
        });
        return new Exposition(families, text);
    }

    /**
     * The tags of each family: the distinct values of each label of its samples, apart from a
     * histogram's {@code le} and a summary's {@code quantile}.
     */
    Map<String, Map<String, Set<String>>> tags() {
        Map<String, String> types = types(text);
        Map<String, Map<String, Set<String>>> tags = new TreeMap<>();
        String family = null;
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                family = family(parts[2], parts[3], types);
                tags.computeIfAbsent(family, f -> new TreeMap<>());
            } else if (family != null && !line.startsWith("#")) {
                addTags(line, tags.get(family));
            }
        }
        return tags;
    }

    private static void addTags(String sample, Map<String, Set<String>> tags) {
        int open = sample.indexOf('{');
        if (open < 0) {
            return;
        }
        Matcher label = LABEL.matcher(sample).region(open, sample.length());
        while (label.find()) {
            if (!BUCKET_LABELS.contains(label.group(1))) {
                tags.computeIfAbsent(label.group(1), name -> new TreeSet<>()).add(label.group(2));
            }
        }
    }

    private static Map<String, String> types(String text) {
        Map<String, String> types = new HashMap<>();
        text.lines().filter(line -> line.startsWith("# TYPE ")).forEach(line -> {
            String[] parts = line.split(" ");
            types.put(parts[2], parts[3]);
        });
        return types;
    }

    /** The family a {@code # TYPE} line's name belongs to. */
    private static String family(String name, String type, Map<String, String> types) {
        if (isMaxOfTimer(name, type, types)) {
            return name.substring(0, name.length() - 4);
        }
        return type.equals("counter") && !name.endsWith("_total") ? name + "_total" : name;
    }

    private static boolean isMaxOfTimer(String name, String type, Map<String, String> types) {
        return type.equals("gauge") && name.endsWith("_max") && isHistogram(types.get(name.substring(0, name.length() - 4)));
    }

    private static boolean isHistogram(String type) {
        return "histogram".equals(type) || "summary".equals(type);
    }

    /** The sum of the samples of {@code name} whose labels include every {@code key="value"} given. */
    double total(String name, String... labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    Set<String> names() {
        return families.keySet();
    }

    /** The family a sample or selector name belongs to ({@code x_bucket} → {@code x}). */
    static String familyOf(String name) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
