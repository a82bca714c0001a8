package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard under deploy/grafana against Grafana's own Dashboard type: npm
 * {@code @grafana/schema}'s TypeScript type, made a JSON schema by ts-json-schema-generator and
 * applied by ajv ({@code src/test/node/validate-dashboards.mjs}; the build runs {@code npm ci} first).
 */
class DashboardSchemaTest {

    private static final Path NODE = Path.of("src/test/node").toAbsolutePath();

    @Test
    void everyDashboardValidatesAgainstGrafanasSchema() {
        List<Path> dashboards = Repository.dashboards();
        List<String> command = new ArrayList<>(List.of("node", "validate-dashboards.mjs",
                Path.of("target/grafana-dashboard.schema.json").toAbsolutePath().toString()));
        dashboards.forEach(dashboard -> command.add(dashboard.toString()));

        Command validation = Command.run(NODE, command);

        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
        assertThat(validation.exitCode()).as(validation.output()).isZero();
        List<String> valid = validation.output().lines().filter(line -> line.startsWith("ok ")).toList();
        assertThat(valid).hasSize(dashboards.size());
        // the figure issue 13 asks for, in target/surefire-reports/*DashboardSchemaTest-output.txt
        System.out.printf("dashboards valid against Grafana's schema: %d%n%s%n", valid.size(), String.join("\n", valid));
    }
}
