package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Grafana's schema does not demand but our dashboards promise: a namespace and an instance
 * variable that every query uses, a unit and a description on every panel, thresholds that mean
 * something (drawn on a time series) wherever a value can be judged without knowing the traffic,
 * and a unique uid.
 */
class DashboardConventionsTest {

    private static final String VOLUME = "a volume whose normal depends on the traffic; its ratio or alert judges it";
    private static final String BREAKDOWN = "a breakdown by cause or status; the panel beside it carries the threshold";
    private static final String CAPACITY = "a footprint whose normal depends on the service and its settings";

    /** Panels with no threshold beyond the base colour, each with the reason none can be set. */
    static final Map<String, String> WITHOUT_THRESHOLDS = Map.ofEntries(
            Map.entry("hookrelay-overview/Accepted", VOLUME),
            Map.entry("hookrelay-overview/Messages accepted and refused", VOLUME),
            Map.entry("hookrelay-overview/Delivery attempts by outcome", BREAKDOWN),
            Map.entry("hookrelay-endpoints/Failing attempts by outcome", BREAKDOWN),
            Map.entry("hookrelay-endpoints/Attempts by status class", BREAKDOWN),
            Map.entry("hookrelay-endpoints/Deferred attempts", VOLUME),
            Map.entry("hookrelay-endpoints/Retries and dead letters", BREAKDOWN),
            Map.entry("hookrelay-endpoints/Waits for room and handover refusals", VOLUME),
            Map.entry("hookrelay-gateway/Requests", VOLUME),
            Map.entry("hookrelay-gateway/Requests by route", VOLUME),
            Map.entry("hookrelay-gateway/Requests by status", BREAKDOWN),
            Map.entry("hookrelay-gateway/Errors by route", BREAKDOWN),
            Map.entry("hookrelay-gateway/Failed authentications", VOLUME),
            Map.entry("hookrelay-gateway/Token lookups", VOLUME),
            Map.entry("hookrelay-jvm/Non-heap used", CAPACITY),
            Map.entry("hookrelay-jvm/GC pauses by cause", BREAKDOWN),
            Map.entry("hookrelay-jvm/Allocation rate", VOLUME),
            Map.entry("hookrelay-jvm/Threads", CAPACITY),
            Map.entry("hookrelay-jvm/HTTP server requests", BREAKDOWN));

    static List<Path> dashboards() {
        return Repository.dashboards();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void hasNamespaceAndInstanceVariablesThatEveryQueryUses(Path file) {
        JsonNode dashboard = read(file);
        List<String> variables = StreamSupport.stream(dashboard.path("templating").path("list").spliterator(), false)
                .map(variable -> variable.path("name").asString())
                .toList();

        assertThat(variables).contains("datasource", "namespace", "instance");
        assertThat(panels(dashboard)).isNotEmpty().allSatisfy(panel -> assertThat(panel.path("targets"))
                .as(panel.path("title").asString())
                .isNotEmpty()
                .allSatisfy(target -> assertThat(target.path("expr").asString())
                        .contains("namespace=\"$namespace\"", "instance=~\"$instance\"")));
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelHasAUnitADescriptionAndOurDataSource(Path file) {
        assertThat(panels(read(file))).allSatisfy(panel -> {
            String title = panel.path("title").asString();
            JsonNode defaults = panel.path("fieldConfig").path("defaults");
            assertThat(defaults.path("unit").asString()).as("unit of %s", title).isNotBlank();
            assertThat(defaults.path("thresholds").path("steps")).as("thresholds of %s", title).isNotEmpty();
            assertThat(panel.path("description").asString()).as("description of %s", title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
        });
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelThatCanBeJudgedHasThresholdsAndATimeSeriesDrawsThem(Path file) {
        JsonNode dashboard = read(file);
        String uid = dashboard.path("uid").asString();
        assertThat(panels(dashboard)).allSatisfy(panel -> {
            String key = uid + "/" + panel.path("title").asString();
            JsonNode defaults = panel.path("fieldConfig").path("defaults");
            List<JsonNode> levels = StreamSupport.stream(defaults.path("thresholds").path("steps").spliterator(), false)
                    .filter(step -> step.path("value").isNumber())
                    .toList();
            if (WITHOUT_THRESHOLDS.containsKey(key)) {
                assertThat(levels).as("%s is listed without thresholds but has some: drop it from the list", key).isEmpty();
                return;
            }
            assertThat(levels).as("thresholds of %s (or list it, with a reason, in WITHOUT_THRESHOLDS)", key).isNotEmpty();
            if (panel.path("type").asString().equals("timeseries")) {
                assertThat(defaults.path("custom").path("thresholdsStyle").path("mode").asString())
                        .as("thresholds of %s drawn", key)
                        .isNotIn("", "off");
            }
        });
    }

    @Test
    void everyPanelListedWithoutThresholdsExists() {
        Set<String> panels = new HashSet<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = read(file);
            panels(dashboard).forEach(panel ->
                    panels.add(dashboard.path("uid").asString() + "/" + panel.path("title").asString()));
        }
        assertThat(panels).containsAll(WITHOUT_THRESHOLDS.keySet());
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void hasAUidOfItsOwnFileName(Path file) {
        assertThat(file.getFileName().toString()).isEqualTo(read(file).path("uid").asString() + ".json");
    }

    private static JsonNode read(Path file) {
        return JsonMapper.builder().build().readTree(Repository.read(file));
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }
}
