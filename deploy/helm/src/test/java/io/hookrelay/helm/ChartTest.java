package io.hookrelay.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart rendered by the real helm with each set of values an operator would use, checked by
 * helm's own lint (which applies values.schema.json), by the Kubernetes schemas (npm
 * kubernetes-models, @kubernetes-models/prometheus-operator) and by what those schemas cannot see:
 * credentials only by Secret reference, probes everywhere, non-root read-only containers, and the
 * network policies.
 */
class ChartTest {

    /** Names of environment variables that carry a credential: they must come from a Secret. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(TOKEN|PASSWORD|ENCRYPTION_KEY|KEYS_\\d+_KEY|SECRET|JAAS|REDIS_URI).*");

    private static final HelmChart helm = HelmChart.tool();

    /** The values sets under test: the defaults and the examples an operator starts from. */
    static Stream<String> valuesSets() {
        return Stream.of("defaults", "small", "production", "local-test");
    }

    private static List<Path> files(String valuesSet) {
        return valuesSet.equals("defaults") ? List.of() : List.of(HelmChart.EXAMPLES.resolve(valuesSet + ".yaml"));
    }

    private static List<Map<String, Object>> render(String valuesSet) {
        return objects(helm.template(files(valuesSet), Map.of()).orFail().output());
    }

    @ParameterizedTest
    @MethodSource("valuesSets")
    void passesHelmLintStrict(String valuesSet) {
        var lint = helm.lint(files(valuesSet), Map.of());

        assertThat(lint.exitCode()).as(lint.output() + lint.errors()).isZero();
        assertThat(lint.output()).contains("0 chart(s) failed");
    }

    @ParameterizedTest
    @MethodSource("valuesSets")
    void rendersOnlyObjectsValidAgainstTheKubernetesSchemas(String valuesSet) throws Exception {
        String rendered = helm.template(files(valuesSet), Map.of()).orFail().output();

        var report = validate(rendered);

        assertThat(report.path("errors")).as(report.toString()).isEmpty();
        assertThat(report.path("documents").asInt()).isEqualTo(objects(rendered).size()).isPositive();
        // the figure issue 13 asks for, in target/surefire-reports/*ChartTest-output.txt
        System.out.printf("%s: %d manifests valid against the Kubernetes schemas: %s%n", valuesSet,
                report.path("documents").asInt(), report.path("kinds"));
    }

    @Test
    void schemaValidationCatchesAnInvalidObject() throws Exception {
        String rendered = helm.template(List.of(), Map.of()).orFail().output()
                .replaceFirst("maxUnavailable: 1", "maxUnavailable: [1]");

        var report = validate(rendered);

        assertThat(report.path("errors").toString()).contains("PodDisruptionBudget", "maxUnavailable");
    }

    @ParameterizedTest
    @MethodSource("valuesSets")
    void takesEveryCredentialFromASecretAndRendersNoSecret(String valuesSet) {
        var objects = render(valuesSet);

        assertThat(objects).extracting(o -> o.get("kind")).doesNotContain("Secret");
        for (var env : allEnv(objects)) {
            if (CREDENTIAL.matcher((String) env.get("name")).matches()) {
                assertThat(env).as("credential %s", env.get("name")).doesNotContainKey("value");
                assertThat(map(env.get("valueFrom"))).as("credential %s", env.get("name")).containsKey("secretKeyRef");
            }
        }
        assertThat(allEnv(objects)).extracting(env -> env.get("name"))
                .contains("HOOKRELAY_INTERNAL_TOKEN", "HOOKRELAY_SECRETS_ENCRYPTION_KEY");
    }

    @Test
    void refusesACredentialGivenAsAValue() {
        var inlinePassword = helm.lint(List.of(), Map.of("postgresql.password", "hunter2"));
        var inlineKafkaPassword = helm.lint(List.of(), Map.of("kafka.env[0].name", "KAFKA_PASSWORD",
                "kafka.env[0].value", "hunter2"));

        assertThat(inlinePassword.exitCode()).isNotZero();
        assertThat(inlinePassword.output() + inlinePassword.errors()).contains("/postgresql/password");
        // the schema cannot know which literal is a password; the rendered-output check can
        var rendered = objects(helm.template(List.of(), Map.of("kafka.env[0].name", "KAFKA_PASSWORD",
                "kafka.env[0].value", "hunter2")).orFail().output());
        assertThat(allEnv(rendered)).anySatisfy(env -> assertThat(env).containsEntry("value", "hunter2"));
        assertThat(inlineKafkaPassword.exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("valuesSets")
    void probesEveryContainerOnItsHealthGroups(String valuesSet) {
        for (var container : containers(render(valuesSet))) {
            assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(path(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        }
    }

    @ParameterizedTest
    @MethodSource("valuesSets")
    void runsEveryContainerAsNonRootOnAReadOnlyRootFilesystem(String valuesSet) {
        var deployments = ofKind(render(valuesSet), "Deployment");

        assertThat(deployments).hasSize(3);
        for (var deployment : deployments) {
            var pod = map(path(deployment, "spec", "template", "spec"));
            assertThat(path(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat((Integer) path(pod, "securityContext", "runAsUser")).isPositive();
            assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
            for (var container : list(pod.get("containers"))) {
                var security = map(map(container).get("securityContext"));
                assertThat(security).containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false);
                assertThat(path(security, "capabilities", "drop")).isEqualTo(List.of("ALL"));
                assertThat(list(map(container).get("volumeMounts")))
                        .anySatisfy(mount -> assertThat(map(mount)).containsEntry("mountPath", "/tmp"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("clusterValuesSets")
    void letsOnlyTheGatewayReachTheServices(String valuesSet) {
        var policies = ofKind(render(valuesSet), "NetworkPolicy");

        assertThat(policies).extracting(p -> path(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"))
                .containsExactlyInAnyOrder("api-gateway", "ingest-service", "delivery-service");
        for (var policy : policies) {
            assertThat(list(path(policy, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            String service = (String) path(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            if (service.equals("api-gateway")) {
                continue;
            }
            for (var rule : list(path(policy, "spec", "ingress"))) {
                var from = list(map(rule).get("from"));
                assertThat(from).as("%s: every ingress rule names its peers", service).isNotEmpty();
            }
            assertThat(list(path(policy, "spec", "ingress")).getFirst()).satisfies(rule -> assertThat(
                    path(list(map(rule).get("from")).getFirst(), "podSelector", "matchLabels", "app.kubernetes.io/name"))
                    .isEqualTo("api-gateway"));
            // only delivery may reach the outside: the others' egress rules all name ports
            var openEgress = list(path(policy, "spec", "egress")).stream()
                    .filter(rule -> !map(rule).containsKey("ports")).toList();
            assertThat(openEgress).as(service).hasSize(service.equals("delivery-service") ? 1 : 0);
        }
    }

    @Test
    void exportsSpansAndLetsThemOutOnlyWhenACollectorIsNamed() {
        var production = render("production");
        var defaults = render("defaults");

        for (String service : List.of("api-gateway", "ingest-service", "delivery-service")) {
            assertThat(envOf(production, service)).as(service).anySatisfy(env -> assertThat(env)
                    .containsEntry("name", "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT")
                    .containsEntry("value", "http://otel-collector.observability:4318/v1/traces"));
            assertThat(envOf(production, service)).as(service).anySatisfy(env -> assertThat(env)
                    .containsEntry("name", "MANAGEMENT_TRACING_SAMPLING_PROBABILITY").containsEntry("value", "0.05"));
            assertThat(envOf(defaults, service)).as(service).noneSatisfy(env -> assertThat(env.get("name"))
                    .isEqualTo("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"));
        }
        assertThat(ofKind(production, "NetworkPolicy")).hasSize(3).allSatisfy(policy -> assertThat(
                list(path(policy, "spec", "egress"))).anySatisfy(rule -> {
                    assertThat(path(list(map(rule).get("ports")).getFirst(), "port")).isEqualTo(4318);
                    assertThat(path(list(map(rule).get("to")).getFirst(), "podSelector", "matchLabels",
                            "app.kubernetes.io/name")).isEqualTo("otel-collector");
                }));
        assertThat(ofKind(defaults, "NetworkPolicy")).hasSize(3).allSatisfy(policy -> assertThat(
                list(path(policy, "spec", "egress"))).noneSatisfy(rule -> assertThat(
                        list(map(rule).getOrDefault("ports", List.of())).stream().map(port -> path(port, "port")))
                        .contains(4318)));
    }

    static Stream<String> clusterValuesSets() {
        return Stream.of("defaults", "small", "production");
    }

    @Test
    void productionValuesScaleWithHpaAndShareTheRateLimitInRedis() {
        var objects = render("production");

        assertThat(ofKind(objects, "HorizontalPodAutoscaler")).hasSize(3);
        assertThat(ofKind(objects, "Deployment"))
                .allSatisfy(deployment -> assertThat(map(deployment.get("spec"))).doesNotContainKey("replicas"));
        assertThat(ofKind(objects, "PodDisruptionBudget")).hasSize(3);
        assertThat(envOf(objects, "api-gateway")).anySatisfy(env -> assertThat(env)
                .containsEntry("name", "HOOKRELAY_GATEWAY_RATE_LIMIT_REDIS_URI")
                .containsKey("valueFrom"));
        assertThat(envOf(objects, "delivery-service")).anySatisfy(env -> assertThat(env)
                .containsEntry("name", "HOOKRELAY_KAFKA_BOOTSTRAP_SERVERS")
                .containsEntry("value", "kafka-0.example.internal:9096,kafka-1.example.internal:9096,kafka-2.example.internal:9096"));
        assertThat(ofKind(objects, "Deployment")).allSatisfy(deployment -> assertThat(
                list(path(deployment, "spec", "template", "spec", "topologySpreadConstraints"))).hasSize(2));
    }

    @Test
    void rendersThePrometheusRulesFileAsAPrometheusRule() throws IOException {
        var rules = new Yaml().<Map<String, Object>>load(
                Files.readString(HelmChart.CHART.resolve("files/prometheus/hookrelay-rules.yaml")));

        var rendered = ofKind(render("production"), "PrometheusRule");

        assertThat(rendered).singleElement().satisfies(rule -> assertThat(path(rule, "spec", "groups"))
                .isEqualTo(rules.get("groups")));
    }

    @Test
    void prefixesEveryRunbookLinkWithTheConfiguredBase() throws IOException {
        var rules = new Yaml().<Map<String, Object>>load(
                Files.readString(HelmChart.CHART.resolve("files/prometheus/hookrelay-rules.yaml")));
        List<String> relative = runbookUrls(rules.get("groups"));

        var rendered = ofKind(objects(helm.template(files("production"),
                Map.of("metrics.prometheusRule.runbookBaseUrl", "https://docs.example.com/hookrelay/")).orFail().output()),
                "PrometheusRule");

        assertThat(relative).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith("docs/operations.md#"));
        assertThat(rendered).singleElement().satisfies(rule -> assertThat(runbookUrls(path(rule, "spec", "groups")))
                .containsExactlyElementsOf(relative.stream().map(url -> "https://docs.example.com/hookrelay/" + url).toList()));
        assertThat(helm.lint(List.of(), Map.of("metrics.prometheusRule.runbookBaseUrl", "docs.example.com")).exitCode())
                .isNotZero();
    }

    /**
     * The dashboards and rules select services by {@code job} (api-gateway, ingest-service,
     * delivery-service); the Prometheus Operator takes it from the Service label named by the
     * ServiceMonitor's {@code jobLabel}, else from the Service's (release-prefixed) name.
     */
    @Test
    void labelsScrapedSeriesWithTheJobNamesTheDashboardsAndRulesUse() throws IOException {
        var rules = Files.readString(HelmChart.CHART.resolve("files/prometheus/hookrelay-rules.yaml"));
        var objects = render("production");

        var monitor = ofKind(objects, "ServiceMonitor");
        String jobLabel = (String) path(monitor.getFirst(), "spec", "jobLabel");
        var jobs = ofKind(objects, "Service").stream().map(service -> path(service, "metadata", "labels", jobLabel)).toList();

        assertThat(monitor).hasSize(1);
        assertThat(jobs).containsExactlyInAnyOrder("api-gateway", "ingest-service", "delivery-service");
        assertThat(rules).contains("job=~\"api-gateway|ingest-service|delivery-service\"");
    }

    private static List<String> runbookUrls(Object groups) {
        var urls = new ArrayList<String>();
        for (Object group : list(groups)) {
            for (Object rule : list(map(group).get("rules"))) {
                Object annotations = map(rule).get("annotations");
                if (annotations != null && map(annotations).get("runbook_url") instanceof String url) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    @Test
    void rendersOneDashboardConfigMapPerGrafanaDashboard() throws IOException {
        List<Path> dashboards;
        try (var files = Files.list(HelmChart.CHART.resolve("files/grafana"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
        }

        var configMaps = ofKind(render("production"), "ConfigMap");

        assertThat(dashboards).isNotEmpty();
        assertThat(configMaps).hasSize(dashboards.size()).allSatisfy(configMap -> {
            assertThat(path(configMap, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
            assertThat(map(configMap.get("data"))).hasSize(1);
        });
        for (var dashboard : dashboards) {
            assertThat(configMaps).anySatisfy(configMap -> assertThat(map(configMap.get("data")))
                    .containsEntry(dashboard.getFileName().toString(), contentOf(dashboard)));
        }
    }

    @Test
    void schemaRefusesUnknownAndInvalidValues() {
        assertThat(helm.lint(List.of(), Map.of("gateway.replicaz", "2")).exitCode()).isNotZero();
        assertThat(helm.lint(List.of(), Map.of("secrets.internalToken.name", "Not_A_Name")).exitCode()).isNotZero();
        assertThat(helm.lint(List.of(), Map.of("kafka.bootstrapServers", "kafka")).exitCode()).isNotZero();
        assertThat(helm.lint(List.of(), Map.of("podSecurityContext.runAsNonRoot", "false")).exitCode()).isNotZero();
    }

    // --- rendered objects

    private static List<Map<String, Object>> objects(String rendered) {
        var objects = new ArrayList<Map<String, Object>>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                objects.add(map(document));
            }
        }
        return objects;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static List<Map<String, Object>> containers(List<Map<String, Object>> objects) {
        var containers = ofKind(objects, "Deployment").stream()
                .flatMap(d -> list(path(d, "spec", "template", "spec", "containers")).stream())
                .map(ChartTest::map).toList();
        assertThat(containers).hasSize(3);
        return containers;
    }

    private static List<Map<String, Object>> allEnv(List<Map<String, Object>> objects) {
        return containers(objects).stream().flatMap(c -> list(c.get("env")).stream()).map(ChartTest::map).toList();
    }

    private static List<Map<String, Object>> envOf(List<Map<String, Object>> objects, String container) {
        return containers(objects).stream().filter(c -> container.equals(c.get("name")))
                .flatMap(c -> list(c.get("env")).stream()).map(ChartTest::map).toList();
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = current == null ? null : map(current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static String contentOf(Path file) {
        try {
            return Files.readString(file).stripTrailing();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // --- validation with the Kubernetes schemas

    private static JsonNode validate(String rendered) throws IOException, InterruptedException {
        Path file = Files.createTempFile(HelmChart.MODULE.resolve("target"), "rendered", ".yaml");
        Files.writeString(file, rendered);
        Path report = Files.createTempFile(HelmChart.MODULE.resolve("target"), "validation", ".json");
        Process node = new ProcessBuilder("node", "validate.mjs", file.toString())
                .directory(HelmChart.NODE_TOOLS.toFile())
                .redirectOutput(report.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("validate.mjs finished").isTrue();
        JsonNode result = JsonMapper.builder().build().readTree(Files.readString(report));
        assertThat(node.exitValue()).as(result.toString()).isEqualTo(result.path("errors").isEmpty() ? 0 : 1);
        Files.delete(file);
        Files.delete(report);
        return result;
    }
}
