package io.hookrelay.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where docs/metrics.md and what the services expose disagree, as readable lines (none: they
 * agree). Both directions for our {@code hookrelay_*} names registered at start; one direction
 * (exposed → documented) for those registered on their first event; the standard families listed
 * must be exposed by every service named; types must match; and every metric a dashboard or rule
 * queries must be listed.
 */
final class CatalogueComparison {

    private CatalogueComparison() {}

    static List<String> differences(MetricsCatalogue catalogue, Map<String, Exposition> exposedByService, Set<String> queried) {
        List<String> differences = new ArrayList<>();
        new TreeMap<>(exposedByService).forEach((service, exposition) -> {
            var documented = catalogue.of(service);
            Set<String> documentedNames = new java.util.TreeSet<>(documented.stream().map(MetricsCatalogue.Row::name).toList());
            exposition.names().stream()
                    .filter(name -> name.startsWith("hookrelay_") && !documentedNames.contains(name))
                    .forEach(name -> differences.add(service + " exposes " + name + ", docs/metrics.md does not list it for " + service));
            documented.stream()
                    .filter(row -> row.appearsAtStart() && !exposition.names().contains(row.name()))
                    .forEach(row -> differences.add("docs/metrics.md lists " + row.name() + " for " + service + ", which does not expose it"));
            documented.stream()
                    .filter(row -> exposition.families().containsKey(row.name()))
                    .filter(row -> !exposition.families().get(row.name()).equals(row.type()))
                    .forEach(row -> differences.add(row.name() + " is a " + exposition.families().get(row.name()) + " in "
                            + service + ", docs/metrics.md says " + row.type()));
        });
        queried.stream()
                .filter(name -> !catalogue.names().contains(name) && !isMaxOfListedTimer(catalogue, name))
                .forEach(name -> differences.add("a dashboard or rule queries " + name + ", docs/metrics.md does not list it"));
        return differences;
    }

    /** Micrometer's {@code x_max} gauge beside a listed histogram or summary {@code x}. */
    private static boolean isMaxOfListedTimer(MetricsCatalogue catalogue, String name) {
        return name.endsWith("_max") && catalogue.rows().stream().anyMatch(row ->
                row.name().equals(name.substring(0, name.length() - 4))
                        && (row.type().equals("histogram") || row.type().equals("summary")));
    }
}
