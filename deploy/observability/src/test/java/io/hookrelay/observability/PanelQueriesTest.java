package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PanelQueriesTest {

    @Test
    void makesEveryComparisonWithANumberABoolOneSoARuleThatDoesNotFireStillReturnsItsSeries() {
        var rules = new RuleFile(List.of(
                new RuleFile.Rule("A", true, "up{job=~\"a|b\"} == 0", Map.of()),
                new RuleFile.Rule("B", true, "x{le=\"10.0\", o!=\"d\"} > (14.4 * 0.01)\nand\ny > 0.5", Map.of()),
                new RuleFile.Rule("C", true, "x > bool 1", Map.of())));

        assertThat(PanelQueries.ofRules(rules)).extracting(PanelQueries.Query::expr).containsExactly(
                "up{job=~\"a|b\"} == bool 0",
                "x{le=\"10.0\", o!=\"d\"} > bool (14.4 * 0.01)\nand\ny > bool 0.5",
                "x > bool 1");
    }

    @Test
    void runsAQueryOfAPickedVariableOncePerValue() {
        var queries = List.of(new PanelQueries.Query("p", "up{job=\"$job\"}"), new PanelQueries.Query("q", "up"));

        assertThat(PanelQueries.forEachValue("job", List.of("a", "b"), queries)).extracting(PanelQueries.Query::expr)
                .containsExactly("up{job=\"a\"}", "up{job=\"b\"}", "up");
    }

    @Test
    void findsTheMetricFamiliesAQuerySelects() {
        String expr = "histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{x=\"y{\"}[1m])))"
                + " / sum(rate(b_total[5m])) + max(c{j=\"d\"}) or ns:recorded:rate5m{n=\"1\"}";

        assertThat(PanelQueries.metricNames(expr)).containsExactly("a_seconds", "b_total", "c");
    }
}
