package io.hookrelay.observability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where the labels the services expose break docs/metrics.md's rule on tags (few values, never a
 * tenant or a message), as readable lines (none: they keep it). For every family of every service:
 * <ul>
 *   <li>no label named for a tenant, a message or a credential ({@link #FORBIDDEN_NAMES});
 *   <li>no value holding one of our ids (a lowercase prefix, {@code _} and a 27-character KSUID, as
 *       {@code io.hookrelay.events.PrefixedId} makes them: {@code app_}, {@code ep_}, {@code msg_},
 *       {@code atmpt_}, {@code tok_}, …) or a UUID;
 *   <li>at most {@link #MOST_VALUES} distinct values of one label ({@code le} and {@code quantile}
 *       are not tags);
 * </ul>
 * and against the catalogue: a {@code hookrelay_*} family exposes exactly the label names its row
 * lists; a standard family at least those its row lists, apart from those Prometheus adds when it
 * scrapes ({@link #ADDED_BY_PROMETHEUS}). Families the catalogue lacks are
 * {@link CatalogueComparison}'s to find.
 */
final class CatalogueLabels {

    static final int MOST_VALUES = 24;
    /** Label names that would hold an application, endpoint, message, attempt or token. */
    static final Set<String> FORBIDDEN_NAMES = Set.of(
            "app", "app_id", "app_uid", "application", "application_id",
            "endpoint", "endpoint_id", "ep", "ep_id", "url",
            "msg", "msg_id", "message", "message_id", "event_id", "idempotency_key", "attempt_id",
            "token", "token_id");
    static final Set<String> ADDED_BY_PROMETHEUS = Set.of("job", "instance", "namespace");

    private static final Pattern OUR_ID = Pattern.compile("(?<![A-Za-z0-9])[a-z]+_[0-9A-Za-z]{27}(?![A-Za-z0-9])");
    private static final Pattern UUID =
            Pattern.compile("(?i)(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])");

    private record Widest(String family, String label, int values) {}

    private CatalogueLabels() {}

    static List<String> problems(MetricsCatalogue catalogue, Map<String, Exposition> exposedByService) {
        List<String> problems = new ArrayList<>();
        new TreeMap<>(exposedByService).forEach((service, exposition) -> {
            Map<String, Map<String, Set<String>>> tags = exposition.tags();
            tags.forEach((family, labels) -> labels.forEach((label, values) ->
                    problems.addAll(brokenRules(service + ": " + family + "{" + label + "}", label, values))));
            catalogue.of(service).stream()
                    .filter(row -> tags.containsKey(row.name()))
                    .forEach(row -> differenceFromRow(row, tags.get(row.name()).keySet())
                            .ifPresent(difference -> problems.add(service + ": " + row.name() + " " + difference)));
        });
        return problems;
    }

    /**
     * The figure for the test output: the families checked (each counted once, whichever services
     * expose it) and the label with the most distinct values in one family of one service.
     */
    static String figure(Map<String, Exposition> exposedByService) {
        Set<String> families = new TreeSet<>();
        List<Widest> labels = new ArrayList<>();
        new TreeMap<>(exposedByService).forEach((service, exposition) -> exposition.tags().forEach((family, tags) -> {
            families.add(family);
            tags.forEach((label, values) -> labels.add(new Widest(family, label, values.size())));
        }));
        Widest widest = labels.stream().max(Comparator.comparingInt(Widest::values)).orElseThrow();
        return "labels: %d families checked, largest distinct values of one label per service: %d (%s/%s)"
                .formatted(families.size(), widest.values(), widest.family(), widest.label());
    }

    private static List<String> brokenRules(String where, String label, Set<String> values) {
        List<String> broken = new ArrayList<>();
        if (FORBIDDEN_NAMES.contains(label)) {
            broken.add(where + ": a label named for a tenant, a message or a token");
        }
        values.stream().filter(CatalogueLabels::holdsAnId).findFirst()
                .ifPresent(value -> broken.add(where + ": an id as a value (\"" + value + "\")"));
        if (values.size() > MOST_VALUES) {
            broken.add(where + ": " + values.size() + " distinct values, more than " + MOST_VALUES);
        }
        return broken;
    }

    private static boolean holdsAnId(String value) {
        return OUR_ID.matcher(value).find() || UUID.matcher(value).find();
    }

    private static Optional<String> differenceFromRow(MetricsCatalogue.Row row, Set<String> exposed) {
        Set<String> listed = new TreeSet<>(row.tags());
        if (row.name().startsWith("hookrelay_")) {
            return listed.equals(exposed) ? Optional.empty()
                    : Optional.of("has labels " + exposed + ", docs/metrics.md lists " + listed);
        }
        listed.removeAll(ADDED_BY_PROMETHEUS);
        listed.removeAll(exposed);
        return listed.isEmpty() ? Optional.empty()
                : Optional.of("lacks labels " + listed + " that docs/metrics.md lists");
    }
}
