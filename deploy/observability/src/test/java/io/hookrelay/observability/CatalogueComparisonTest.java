package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueComparisonTest {

    private static final String EXPOSED = """
            # TYPE hookrelay_messages_accepted_total counter
            hookrelay_messages_accepted_total 3.0
            # TYPE hookrelay_delivery_latency_seconds histogram
            hookrelay_delivery_latency_seconds_bucket{le="10.0"} 1.0
            hookrelay_delivery_latency_seconds_count 1.0
            # TYPE hookrelay_delivery_latency_seconds_max gauge
            hookrelay_delivery_latency_seconds_max 0.5
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 30.0
            """;

    private static MetricsCatalogue catalogue(MetricsCatalogue.Row... rows) {
        return new MetricsCatalogue(List.of(rows));
    }

    private static MetricsCatalogue.Row row(String name, String type, String appears) {
        return new MetricsCatalogue.Row(name, type, Set.of(), Set.of("svc"), appears.equals("start"));
    }

    @Test
    void agreesWhenEveryExposedNameIsListedWithItsType() {
        var listed = catalogue(row("hookrelay_messages_accepted_total", "counter", "start"),
                row("hookrelay_delivery_latency_seconds", "histogram", "start"),
                row("hookrelay_delivery_deferred_total", "counter", "first event"),
                row("jvm_threads_live_threads", "gauge", "start"));

        assertThat(CatalogueComparison.differences(listed, Map.of("svc", Exposition.parse(EXPOSED)),
                Set.of("jvm_threads_live_threads", "hookrelay_delivery_latency_seconds", "hookrelay_delivery_latency_seconds_max")))
                .isEmpty();
    }

    @Test
    void findsAnExposedNameTheCatalogueLacks() {
        var listed = catalogue(row("hookrelay_delivery_latency_seconds", "histogram", "start"));

        assertThat(CatalogueComparison.differences(listed, Map.of("svc", Exposition.parse(EXPOSED)), Set.of()))
                .containsExactly("svc exposes hookrelay_messages_accepted_total, docs/metrics.md does not list it for svc");
    }

    @Test
    void findsAListedNameTheServiceDoesNotExposeAWrongTypeAndAnUnlistedQuery() {
        var listed = catalogue(row("hookrelay_messages_accepted_total", "gauge", "start"),
                row("hookrelay_delivery_latency_seconds", "histogram", "start"),
                row("hookrelay_outbox_rows", "gauge", "start"));

        assertThat(CatalogueComparison.differences(listed, Map.of("svc", Exposition.parse(EXPOSED)), Set.of("up")))
                .containsExactlyInAnyOrder(
                        "docs/metrics.md lists hookrelay_outbox_rows for svc, which does not expose it",
                        "hookrelay_messages_accepted_total is a counter in svc, docs/metrics.md says gauge",
                        "a dashboard or rule queries up, docs/metrics.md does not list it");
    }

    @Test
    void readsTheRealCatalogue() {
        var catalogue = MetricsCatalogue.read(Repository.METRICS_DOC);

        assertThat(catalogue.rows()).hasSizeGreaterThan(40);
        assertThat(catalogue.of("delivery-service")).extracting(MetricsCatalogue.Row::name)
                .contains("hookrelay_delivery_latency_seconds", "hookrelay_delivery_deferred_total");
        assertThat(catalogue.rows()).filteredOn(row -> row.name().equals("hookrelay_delivery_deferred_total"))
                .singleElement().extracting(MetricsCatalogue.Row::appearsAtStart).isEqualTo(false);
    }
}
