package io.hookrelay.images;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.helm.HelmChart;
import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.signer.VerifiedWebhook;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three images, started for real: the chart rendered with examples/local-test.yaml (host
 * networking, loopback) is played with {@code podman kube play} beside the embedded PostgreSQL and
 * Kafka, and one message sent through the gateway container arrives, signed, at a receiver on
 * loopback. The images are built first, by build.sh (warm: every layer reused), which fails when
 * podman is missing: this test runs in every {@code ./mvnw verify} ({@code -DskipImages} leaves it
 * out of a local run; ADR 0041).
 */
class ImagesSmokeIT {

    private static final Path MODULE = HelmChart.MODULE.resolveSibling("images");
    private static final Path WORK = MODULE.resolve("target/smoke");
    private static final Path RENDERED = WORK.resolve("hookrelay.yaml");
    private static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");
    private static final Map<String, String> SECRET_KEYS = Map.of(
            "hookrelay-internal-token", "token", "hookrelay-encryption-key", "key", "hookrelay-admin-token", "token");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static String gateway;
    private static String adminToken;

    @BeforeAll
    static void startTheImages() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        buildImages();
        postgres = PostgresServer.start(null, 0);
        postgres.createDatabase("hookrelay");
        kafka = KafkaBroker.launch(WORK.resolve("kafka"), 0);
        kafka.awaitReady();

        adminToken = "hr_smoke_" + random(16);
        createSecret("hookrelay-internal-token", random(32));
        createSecret("hookrelay-encryption-key", Base64.getEncoder().encodeToString(bytes(32)));
        createSecret("hookrelay-admin-token", adminToken);

        int gatewayPort = Ports.freePort();
        var settings = new java.util.HashMap<>(Map.of("gateway.port", String.valueOf(gatewayPort),
                "gateway.managementPort", String.valueOf(Ports.freePort()),
                "ingest.port", String.valueOf(Ports.freePort()),
                "delivery.port", String.valueOf(Ports.freePort()),
                "postgresql.port", String.valueOf(postgres.port()),
                "kafka.bootstrapServers", kafka.bootstrapServers()));
        // -Dsmoke.javaOpts=-XX:AOTMode=off measures the start-up without the AOT cache (ADR 0017)
        String javaOpts = System.getProperty("smoke.javaOpts", "");
        if (!javaOpts.isBlank()) {
            settings.put("defaults.env[0].name", "JAVA_OPTS");
            settings.put("defaults.env[0].value", javaOpts);
        }
        Files.writeString(RENDERED, HelmChart.tool().template(
                List.of(HelmChart.EXAMPLES.resolve("local-test.yaml")), settings).orFail().output());
        podman("kube", "play", "--replace", RENDERED.toString());

        gateway = "http://127.0.0.1:" + gatewayPort;
        // three JVMs starting at once on two shared cores
        Awaitility.await("the gateway container answers /api/v1/health/").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> get("/api/v1/health/").statusCode() == 200);
    }

    @AfterAll
    static void stopEverything() {
        try {
            for (String service : SERVICES) {
                podmanQuietly(WORK.resolve(service + ".log"), "logs", container(service));
            }
            if (Files.exists(RENDERED)) {
                podmanQuietly(null, "kube", "down", RENDERED.toString());
            }
            SECRET_KEYS.keySet().forEach(name -> podmanQuietly(null, "secret", "rm", name));
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void deliversAMessageSentThroughTheGatewayContainerSignedToALoopbackReceiver() throws Exception {
        var received = new CompletableFuture<Received>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.complete(new Received(exchange.getRequestHeaders(), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            post("/api/v1/app", "{\"name\":\"Smoke\",\"uid\":\"smoke\"}");
            post("/api/v1/app/smoke/endpoint", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/webhook\",\"uid\":\"smoke-ep\"}");
            String secret = JSON.readTree(get("/api/v1/app/smoke/endpoint/smoke-ep/secret").body()).path("key").asString();
            post("/api/v1/app/smoke/msg", "{\"eventType\":\"invoice.paid\",\"eventId\":\"evt-smoke-1\","
                    + "\"payload\":{\"invoice\":\"in_42\"}}");

            Received webhook = received.get(2, TimeUnit.MINUTES);

            VerifiedWebhook verified = WebhookVerifier.of(WebhookSecret.parse(secret))
                    .verify(webhook.headers()::getFirst, webhook.body());
            assertThat(verified.id()).startsWith("msg_");
            JsonNode payload = JSON.readTree(webhook.body());
            assertThat(payload.path("invoice").asString()).isEqualTo("in_42");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void runsEveryServiceAsUser10001OnAReadOnlyRootFilesystem() {
        for (String service : SERVICES) {
            String inspected = podman("inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", container(service));

            assertThat(inspected.strip()).as(service).isEqualTo("10001:10001 true");
        }
    }

    @Test
    void holdsTheJvmAndBashButNoPackageManagerDownloaderOrShellTools() {
        // the base is the C and C++ runtimes, bash and base-files (build.sh, ADR 0041): nothing that
        // fetches, installs or lists what an intruder in a container would want
        String lookUp = "for tool in java bash apt apt-get dpkg curl wget busybox perl python3 cat ls id su mount; do"
                + " command -v \"$tool\" || echo \"no $tool\"; done";
        for (String service : SERVICES) {
            String found = podman("run", "--rm", "--network", "none", "--read-only", "--entrypoint", "/bin/bash",
                    "localhost/hookrelay/" + service + ":dev", "-c", lookUp);

            assertThat(found.lines()).as(service).containsExactly("/opt/java/bin/java", "/usr/bin/bash", "no apt",
                    "no apt-get", "no dpkg", "no curl", "no wget", "no busybox", "no perl", "no python3", "no cat", "no ls",
                    "no id", "no su", "no mount");
        }
    }

    @Test
    void passesComposesHealthCheckWithBashAloneAndFailsItWhereNothingAnswers() {
        for (String service : SERVICES) {
            String check = ComposeFile.bashHealthCheck(service);

            var ready = runPodman(null, "exec", container(service), "bash", "-c", check);
            var nobody = runPodman(null, "exec", "--env", "SERVER_PORT=1", "--env", "HOOKRELAY_GATEWAY_MANAGEMENT_PORT=1",
                    container(service), "bash", "-c", check);

            assertThat(ready.exitCode()).as("%s: %s", service, ready.output()).isZero();
            assertThat(nobody.exitCode()).as("%s on a port nobody listens on: %s", service, nobody.output()).isNotZero();
        }
    }

    private static String container(String service) {
        return "hookrelay-" + service + "-pod-0-" + service;
    }

    private record Received(com.sun.net.httpserver.Headers headers, byte[] body) {}

    private static void buildImages() throws IOException, InterruptedException {
        Path log = WORK.resolve("build.log");
        Process build = new ProcessBuilder("bash", MODULE.resolve("build.sh").toString(), "dev")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(30, TimeUnit.MINUTES)) {
            // podman and its training runs are build.sh's children: stop them too, then say why
            build.descendants().forEach(ProcessHandle::destroyForcibly);
            build.destroyForcibly().waitFor();
            throw new AssertionError(String.format("deploy/images/build.sh did not finish in 30 minutes:%n%s",
                    Files.readString(log)));
        }
        assertThat(build.exitValue()).as("deploy/images/build.sh failed:%n%s", Files.readString(log)).isZero();
    }

    // --- the gateway's API

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void post(String path, String json) throws IOException, InterruptedException {
        var response = HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isBetween(200, 299);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
    }

    // --- podman

    /**
     * A podman secret as `podman kube play` (4.3) reads one for secretKeyRef: a JSON object of
     * key to base64 value, under the Secret's name.
     */
    private static void createSecret(String name, String value) throws IOException {
        Path file = WORK.resolve(name + ".json");
        Files.writeString(file, "{\"" + SECRET_KEYS.get(name) + "\":\""
                + Base64.getEncoder().encodeToString(value.getBytes(UTF_8)) + "\"}");
        podmanQuietly(null, "secret", "rm", name);
        podman("secret", "create", name, file.toString());
        Files.delete(file);
    }

    private static String podman(String... arguments) {
        var result = runPodman(null, arguments);
        if (result.exitCode() != 0) {
            throw new AssertionError("podman " + String.join(" ", arguments) + " failed: " + result.output());
        }
        return result.output();
    }

    private static void podmanQuietly(Path output, String... arguments) {
        runPodman(output, arguments);
    }

    /** podman with the containers.conf this machine kind needs (podman-env.sh, as build.sh uses it). */
    private static PodmanResult runPodman(Path output, String... arguments) {
        var command = new ArrayList<>(List.of("bash", "-c",
                "source \"$0\" \"$1\" && shift && exec podman \"$@\"",
                MODULE.resolve("podman-env.sh").toString(), MODULE.resolve("target").toString()));
        command.addAll(List.of(arguments));
        try {
            Path out = output != null ? output : Files.createTempFile(WORK, "podman", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("podman " + String.join(" ", arguments) + " did not finish in 5 minutes");
            }
            String text = Files.readString(out);
            if (output == null) {
                Files.delete(out);
            }
            return new PodmanResult(process.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record PodmanResult(int exitCode, String output) {}

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String random(int n) {
        return HexFormat.of().formatHex(bytes(n));
    }
}
