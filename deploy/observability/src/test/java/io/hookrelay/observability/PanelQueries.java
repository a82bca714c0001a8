package io.hookrelay.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The queries of the dashboards' panels and of the rules, as a Prometheus can run them. */
final class PanelQueries {

    /** One query of one panel (or one rule): where it comes from, and its PromQL. */
    record Query(String where, String expr) {}

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_:]*)\\s*[{\\[]");
    private static final Set<String> FUNCTIONS_AND_WORDS = Set.of(
            "sum", "max", "min", "avg", "count", "rate", "increase", "delta", "deriv", "histogram_quantile",
            "by", "without", "and", "or", "unless", "vector", "label_values", "bool", "on", "ignoring");
    /** A comparison with a number at the right of it, not already a bool one. */
    private static final Pattern FILTERING_COMPARISON = Pattern.compile("(==|!=|>=|<=|>|<)\\s*(?!bool)(\\(?\\s*[0-9])");

    private PanelQueries() {}

    static List<Query> ofDashboards(List<Path> dashboards, Map<String, String> variables) {
        var json = JsonMapper.builder().build();
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dashboard = json.readTree(Repository.read(file));
            collect(file.getFileName().toString(), dashboard.path("panels"), variables, queries);
        }
        return queries;
    }

    private static void collect(String dashboard, JsonNode panels, Map<String, String> variables, List<Query> queries) {
        for (JsonNode panel : panels) {
            if (panel.path("type").asString().equals("row")) {
                collect(dashboard, panel.path("panels"), variables, queries);
                continue;
            }
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                for (var variable : variables.entrySet()) {
                    expr = expr.replace("$" + variable.getKey(), variable.getValue());
                }
                queries.add(new Query(dashboard + " / " + panel.path("title").asString() + " / " + target.path("refId").asString(), expr));
            }
        }
    }

    /** Each query that uses {@code $variable} once per value (a Grafana variable the user picks one value of). */
    static List<Query> forEachValue(String variable, List<String> values, List<Query> queries) {
        List<Query> expanded = new ArrayList<>();
        for (Query query : queries) {
            if (!query.expr().contains("$" + variable)) {
                expanded.add(query);
                continue;
            }
            for (String value : values) {
                expanded.add(new Query(query.where() + " [" + variable + "=" + value + "]", query.expr().replace("$" + variable, value)));
            }
        }
        return expanded;
    }

    /**
     * A rule's expression with each comparison made a {@code bool} one, so it returns its series
     * (0 or 1) whether or not the alert would fire: "returns data" then means every series it
     * needs exists.
     */
    static List<Query> ofRules(RuleFile rules) {
        return rules.rules().stream()
                .map(rule -> new Query("rule " + rule.name(), FILTERING_COMPARISON.matcher(rule.expr()).replaceAll("$1 bool $2")))
                .toList();
    }

    /** The metric names a query selects, as families (recording-rule names, with a colon, left out). */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SELECTOR.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!FUNCTIONS_AND_WORDS.contains(name) && !name.contains(":")) {
                names.add(Exposition.familyOf(name));
            }
        }
        return names;
    }
}
