package io.hookrelay.observability;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * docs/metrics.md's catalogue: every row of its tables whose first cell is a metric name in
 * backquotes. Columns: name, type, tags, service(s), appears, meaning.
 */
record MetricsCatalogue(List<Row> rows) {

    /**
     * {@code tags}: the label names the tags cell lists. {@code appearsAtStart}: registered when the
     * service starts, rather than on its first event.
     */
    record Row(String name, String type, Set<String> tags, Set<String> services, boolean appearsAtStart) {}

    private static final Pattern NOTE = Pattern.compile("\\([^()]*\\)");
    private static final Pattern QUOTED = Pattern.compile("`([^`]*)`");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    static MetricsCatalogue read(Path file) {
        return new MetricsCatalogue(Repository.read(file).lines()
                .filter(line -> line.startsWith("| `"))
                .map(MetricsCatalogue::row)
                .toList());
    }

    private static Row row(String line) {
        String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
        // cells[0] is the empty text before the first '|'
        String name = cells[1].replace("`", "");
        Set<String> services = Arrays.stream(cells[4].split(","))
                .map(String::strip)
                .filter(service -> !service.isEmpty())
                .collect(Collectors.toSet());
        return new Row(name, cells[2], tagNames(name, cells[3]), services, cells[5].startsWith("start"));
    }

    /**
     * The label names of a tags cell: none for "—"; else items separated by ";", each either
     * "`name`: its values" or a list of "`name`"s. Notes in parentheses (what a value means, the
     * histogram buckets) name no label.
     */
    static Set<String> tagNames(String metric, String cell) {
        String text = NOTE.matcher(cell).replaceAll("");
        if (text.strip().equals("—")) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        for (String item : text.split(";")) {
            int colon = item.indexOf(':');
            List<String> quoted = QUOTED.matcher(colon < 0 ? item : item.substring(0, colon)).results()
                    .map(match -> match.group(1))
                    .toList();
            if (quoted.isEmpty() || !quoted.stream().allMatch(LABEL_NAME.asMatchPredicate()) || item.contains("(")) {
                throw new IllegalArgumentException(metric + ": cannot read the label names in its tags cell \"" + cell + "\"");
            }
            names.addAll(quoted);
        }
        return names;
    }

    Set<String> names() {
        return rows.stream().map(Row::name).collect(Collectors.toSet());
    }

    List<Row> of(String service) {
        return rows.stream().filter(row -> row.services().contains(service)).toList();
    }
}
