package io.hookrelay.observability;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * docs/metrics.md's catalogue: every row of its tables whose first cell is a metric name in
 * backquotes. Columns: name, type, tags, service(s), appears, meaning.
 */
record MetricsCatalogue(List<Row> rows) {

    /** {@code appearsAtStart}: registered when the service starts, rather than on its first event. */
    record Row(String name, String type, Set<String> services, boolean appearsAtStart) {}

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
        return new Row(name, cells[2], services, cells[5].startsWith("start"));
    }

    Set<String> names() {
        return rows.stream().map(Row::name).collect(Collectors.toSet());
    }

    List<Row> of(String service) {
        return rows.stream().filter(row -> row.services().contains(service)).toList();
    }
}
