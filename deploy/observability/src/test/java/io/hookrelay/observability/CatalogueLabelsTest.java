package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CatalogueLabelsTest {

    /** Labels that keep every rule, as a service writes them; the tests below add one that breaks one. */
    private static final String KEPT = """
            # TYPE hookrelay_delivery_attempts_total counter
            hookrelay_delivery_attempts_total{outcome="delivered",status_class="2xx"} 25.0
            hookrelay_delivery_attempts_total{outcome="retryable",status_class="5xx"} 3.0
            # TYPE hookrelay_delivery_latency_seconds histogram
            hookrelay_delivery_latency_seconds_bucket{le="10.0"} 1.0
            hookrelay_delivery_latency_seconds_bucket{le="+Inf"} 1.0
            hookrelay_delivery_latency_seconds_count 1.0
            # TYPE hookrelay_delivery_latency_seconds_max gauge
            hookrelay_delivery_latency_seconds_max 0.5
            # TYPE http_server_requests_seconds summary
            http_server_requests_seconds_count{error="none",method="POST",status="202",uri="/api/v1/app/{appId}/msg"} 25.0
            http_server_requests_seconds{method="POST",status="202",uri="/api/v1/app/{appId}/msg",quantile="0.99"} 0.1
            """;

    private static final List<MetricsCatalogue.Row> ROWS = List.of(
            row("hookrelay_delivery_attempts_total", "`outcome`: `delivered`, `retryable`; `status_class`: `2xx`…`5xx`"),
            row("hookrelay_delivery_latency_seconds", "— (buckets 50, 100 ms)"),
            row("http_server_requests_seconds", "`method`, `uri` (the route pattern), `status`"),
            row("up", "`job`, `instance`, `namespace`"));

    private static MetricsCatalogue.Row row(String name, String tags) {
        return new MetricsCatalogue.Row(name, "counter", MetricsCatalogue.tagNames(name, tags), Set.of("svc"), true);
    }

    private static List<String> problems(String exposed, MetricsCatalogue.Row... moreRows) {
        var catalogue = new MetricsCatalogue(Stream.concat(ROWS.stream(), Stream.of(moreRows)).toList());
        return CatalogueLabels.problems(catalogue, Map.of("svc", Exposition.parse(exposed)));
    }

    @Test
    void findsNothingWhenTheLabelsAreFewAndAsListed() {
        assertThat(problems(KEPT)).isEmpty();
    }

    @Test
    void findsALabelNamedForAnEndpoint() {
        String exposed = KEPT + """
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads{endpoint_id="orders"} 30.0
                """;

        assertThat(problems(exposed))
                .containsExactly("svc: jvm_threads_live_threads{endpoint_id}: a label named for a tenant, a message or a token");
    }

    @Test
    void findsOneOfOurIdsInALabelValue() {
        String exposed = KEPT + """
                # TYPE http_client_requests_seconds summary
                http_client_requests_seconds_count{uri="/api/v1/app/app_2KWPBgLlAfxdpx2AI54pPJ85f4W/msg"} 1.0
                """;

        assertThat(problems(exposed)).containsExactly(
                "svc: http_client_requests_seconds{uri}: an id as a value (\"/api/v1/app/app_2KWPBgLlAfxdpx2AI54pPJ85f4W/msg\")");
    }

    @Test
    void findsAUuidAsALabelValue() {
        String exposed = KEPT + """
                # TYPE kafka_consumer_last_poll_seconds_ago gauge
                kafka_consumer_last_poll_seconds_ago{client_id="consumer-3f2c8a1e-9b4d-4c7a-8e2f-1a2b3c4d5e6f"} 1.0
                """;

        assertThat(problems(exposed)).containsExactly("svc: kafka_consumer_last_poll_seconds_ago{client_id}: "
                + "an id as a value (\"consumer-3f2c8a1e-9b4d-4c7a-8e2f-1a2b3c4d5e6f\")");
    }

    @Test
    void findsALabelWithMoreThan24DistinctValuesInOneFamily() {
        String exposed = KEPT + samples("jvm_buffer_count_buffers", "id", 24) + samples("executor_active_threads", "name", 25);

        assertThat(problems(exposed))
                .containsExactly("svc: executor_active_threads{name}: 25 distinct values, more than 24");
    }

    @Test
    void comparesLabelNamesWithTheRowExactlyForOurFamiliesAndAsASubsetForStandardOnes() {
        String exposed = KEPT + """
                # TYPE hookrelay_delivery_deferred_total counter
                hookrelay_delivery_deferred_total{reason="circuit_open",status_class="none"} 2.0
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",pool="G1 Eden Space"} 1.0E7
                """;

        assertThat(problems(exposed,
                row("hookrelay_delivery_deferred_total", "`reason`: `circuit_open`, `throttled`"),
                row("jvm_memory_used_bytes", "`area` (`heap`, `nonheap`), `id` (pool), `namespace`")))
                .containsExactly(
                        "svc: hookrelay_delivery_deferred_total has labels [reason, status_class], docs/metrics.md lists [reason]",
                        "svc: jvm_memory_used_bytes lacks labels [id] that docs/metrics.md lists");
    }

    @Test
    void readsTheLabelNamesOfEveryRowOfTheRealCatalogue() {
        Map<String, Set<String>> tags = MetricsCatalogue.read(Repository.METRICS_DOC).rows().stream()
                .collect(Collectors.toMap(MetricsCatalogue.Row::name, MetricsCatalogue.Row::tags));

        assertThat(tags).hasSizeGreaterThan(40)
                .containsEntry("hookrelay_messages_accepted_total", Set.of())
                .containsEntry("hookrelay_delivery_latency_seconds", Set.of())
                .containsEntry("hookrelay_delivery_attempts_total", Set.of("outcome", "status_class"))
                .containsEntry("hookrelay_gateway_requests_seconds", Set.of("route", "status"))
                .containsEntry("hookrelay_retention_deleted_total", Set.of("table"))
                .containsEntry("jvm_memory_used_bytes", Set.of("area", "id"))
                .containsEntry("up", Set.of("job", "instance", "namespace"));
    }

    @Test
    void refusesATagsCellThatNamesNoLabel() {
        assertThatThrownBy(() -> MetricsCatalogue.tagNames("x_total", "the HTTP status"))
                .hasMessageContaining("x_total: cannot read the label names");
        assertThatThrownBy(() -> MetricsCatalogue.tagNames("x_total", "`route`: `ingest`; `status-code`: the HTTP status"))
                .hasMessageContaining("x_total: cannot read the label names");
    }

    @Test
    void figureNamesTheLabelWithTheMostValues() {
        String exposed = KEPT + samples("executor_active_threads", "name", 7);

        assertThat(CatalogueLabels.figure(Map.of("a", Exposition.parse(exposed), "b", Exposition.parse(KEPT))))
                .isEqualTo("labels: 4 families checked, largest distinct values of one label per service: 7 "
                        + "(executor_active_threads/name)");
    }

    private static String samples(String family, String label, int values) {
        return "# TYPE " + family + " gauge\n" + IntStream.range(0, values)
                .mapToObj(value -> family + "{" + label + "=\"v" + value + "\"} 1.0\n")
                .collect(Collectors.joining());
    }
}
