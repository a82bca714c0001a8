package io.hookrelay.observability;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The rules of a Prometheus rules file: recording rules and alerts with their expressions. */
record RuleFile(List<Rule> rules) {

    record Rule(String name, boolean alert, String expr, Map<String, String> annotations) {}

    @SuppressWarnings("unchecked")
    static RuleFile read(Path file) {
        Map<String, Object> document = new Yaml().load(Repository.read(file));
        var groups = (List<Map<String, Object>>) document.get("groups");
        return new RuleFile(groups.stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .map(rule -> new Rule(
                        (String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record")),
                        rule.containsKey("alert"),
                        rule.get("expr").toString(),
                        (Map<String, String>) rule.getOrDefault("annotations", Map.of())))
                .toList());
    }

    List<Rule> alerts() {
        return rules.stream().filter(Rule::alert).toList();
    }
}
