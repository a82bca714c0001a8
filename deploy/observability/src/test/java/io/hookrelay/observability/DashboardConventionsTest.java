package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Grafana's schema does not demand but our dashboards promise: a namespace and an instance
 * variable that every query uses, a unit and thresholds on every panel, a description to read it
 * by, and a unique uid.
 */
class DashboardConventionsTest {

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
    void everyPanelHasAUnitThresholdsADescriptionAndOurDataSource(Path file) {
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
