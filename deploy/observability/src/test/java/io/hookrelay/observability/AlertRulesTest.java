package io.hookrelay.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/prometheus/hookrelay-rules.yaml as Prometheus itself reads it: {@code promtool check rules},
 * {@code promtool test rules} with a unit test for every alert, and runbook links that lead to a
 * section of docs/operations.md.
 */
class AlertRulesTest {

    private final RuleFile rules = RuleFile.read(Repository.RULES);

    @Test
    void promtoolAcceptsTheRules() {
        Command check = Command.run(Repository.RULES.getParent(), List.of("promtool", "check", "rules", Repository.RULES.toString()));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + rules.rules().size() + " rules found");
        // the figures issue 13 asks for, in target/surefire-reports/*AlertRulesTest-output.txt
        System.out.printf("promtool check rules: %d rules (%d alerts)%n", rules.rules().size(), rules.alerts().size());
    }

    @Test
    void everyAlertPassesItsUnitTest() {
        Command test = Command.run(Repository.RULE_TESTS.getParent(),
                List.of("promtool", "test", "rules", Repository.RULE_TESTS.toString()));

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        System.out.printf("promtool test rules: passed%n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestThatExpectsItToFire() {
        Map<String, Object> document = new Yaml().load(Repository.read(Repository.RULE_TESTS));
        var firing = ((List<Map<String, Object>>) document.get("tests")).stream()
                .flatMap(test -> ((List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())).stream())
                .filter(check -> !((List<?>) check.getOrDefault("exp_alerts", List.of())).isEmpty())
                .map(check -> (String) check.get("alertname"))
                .collect(Collectors.toSet());

        assertThat(firing).containsExactlyInAnyOrderElementsOf(rules.alerts().stream().map(RuleFile.Rule::name).toList());
        System.out.printf("alerts with a unit test that expects them to fire: %d of %d%n", firing.size(), rules.alerts().size());
    }

    @Test
    void everyAlertSaysWhatHappenedAndLinksToItsRunbook() {
        String operations = Repository.read(Repository.OPERATIONS_DOC);

        assertThat(rules.alerts()).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.annotations()).containsKeys("summary", "description", "runbook_url");
            String anchor = "alert-" + alert.name().toLowerCase(java.util.Locale.ROOT);
            assertThat(alert.annotations().get("runbook_url")).isEqualTo("docs/operations.md#" + anchor);
            assertThat(operations).as("docs/operations.md needs <a id=\"%s\"></a> under ## Alerts", anchor)
                    .containsPattern(Pattern.compile("<a id=\"" + Pattern.quote(anchor) + "\"></a>"));
        });
    }
}
