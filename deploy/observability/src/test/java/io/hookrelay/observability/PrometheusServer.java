package io.hookrelay.observability;

import io.hookrelay.infra.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a loopback port: scrapes the given
 * targets every second, evaluates the given rules file every second, answers instant queries.
 */
final class PrometheusServer implements AutoCloseable {

    /** A scrape target: the service's name becomes the {@code job} label, as the chart's ServiceMonitor sets it. */
    record Target(String job, URI base, String metricsPath) {}

    private final Process process;
    private final URI url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private PrometheusServer(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static PrometheusServer start(Path directory, String namespace, List<Target> targets, Path rules) throws IOException {
        Files.createDirectories(directory);
        String scrapeConfigs = targets.stream().map(target -> """
                  - job_name: %s
                    metrics_path: %s
                    static_configs:
                      - targets: ["%s"]
                        labels: {namespace: %s}
                """.formatted(target.job(), target.metricsPath(), target.base().getAuthority(), namespace))
                .collect(Collectors.joining());
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                %s""".formatted(rules, scrapeConfigs));
        int port = Ports.freePort();
        Path log = directory.resolve("prometheus.log");
        Process process = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
        server.awaitReady();
        return server;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited:\n" + logText());
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("prometheus not ready within 60 s:\n" + logText());
    }

    /** The series an instant query returns now (empty: no data). */
    List<JsonNode> query(String promql) {
        try {
            var request = HttpRequest.newBuilder(url.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            var answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(answer.body());
            if (!"success".equals(body.path("status").asString())) {
                throw new IllegalArgumentException("query failed: " + promql + ": " + answer.body());
            }
            List<JsonNode> series = new java.util.ArrayList<>();
            body.path("data").path("result").forEach(series::add);
            return series;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Target health as Prometheus sees it: job → "up"/"down"/"unknown". */
    Map<String, String> targetHealth() {
        try {
            var answer = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/targets")).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> health = new java.util.TreeMap<>();
            json.readTree(answer.body()).path("data").path("activeTargets")
                    .forEach(target -> health.put(target.path("labels").path("job").asString(), target.path("health").asString()));
            return health;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
