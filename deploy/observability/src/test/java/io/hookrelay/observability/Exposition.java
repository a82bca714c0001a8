package io.hookrelay.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metric families of a Prometheus text exposition, named as one queries them: a counter as
 * {@code x_total}, a histogram as {@code x_seconds} (its {@code _bucket}, {@code _count},
 * {@code _sum} and Micrometer's {@code _max} gauge belong to it), a gauge as itself.
 */
record Exposition(Map<String, String> families, String text) {

    static Exposition parse(String text) {
        Map<String, String> types = new HashMap<>();
        text.lines().filter(line -> line.startsWith("# TYPE ")).forEach(line -> {
            String[] parts = line.split(" ");
            types.put(parts[2], parts[3]);
        });
        Map<String, String> families = new TreeMap<>();
        types.forEach((name, type) -> {
            if (type.equals("gauge") && name.endsWith("_max") && isHistogram(types.get(name.substring(0, name.length() - 4)))) {
                return;
            }
            String family = type.equals("counter") && !name.endsWith("_total") ? name + "_total" : name;
            families.put(family, type);
        });
        return new Exposition(families, text);
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
