package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.local.OtlpCollector.ExportedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One message through the whole platform (the three services as their own processes, real
 * PostgreSQL and Kafka) makes one trace: the services export their spans over OTLP to a collector
 * in this test, and every span of the message — the gateway's and ingest's server spans, delivery's
 * consume span (across the outbox and Kafka) and its attempt's client span — carries the trace id
 * the gateway answered with, each the child of the one before; the attempt row keeps that id.
 *
 * <p>The services get the collector's address and full sampling as JVM system properties, from a
 * copy of {@code deploy/jvm}'s argument files in a home of the test's own (the jars are linked
 * from the repository): the launcher passes no settings of a test's to ingest and delivery.
 */
class TracingEndToEndIT {

    static final String TOKEN = "tracing-e2e-admin-token";
    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");

    static OtlpCollector collector;
    static Receiver receiver;
    static LocalPlatform platform;
    static Path data;
    static String gateway;
    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which Netty refuses (413) for a request with a body
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startPlatform() throws IOException {
        collector = new OtlpCollector();
        receiver = new Receiver();
        data = Files.createTempDirectory("hookrelay-tracing-e2e");
        int port = Ports.freePort();
        platform = new LocalPlatform(new LocalSettings(tracedHome(data.resolve("home")), data.resolve("platform"), port, TOKEN, false),
                new PrintStream(new ByteArrayOutputStream()));
        platform.start();
        gateway = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (platform != null) {
            platform.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (data != null) {
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void oneMessageMakesOneTraceWithSpansOfAllThreeServicesAndItsAttemptRowKeepsTheTraceId() throws Exception {
        var svix = svix();
        var app = svix.getApplication().create(new ApplicationIn().name("Traced"));
        svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url())));

        var accepted = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/app/" + app.getId() + "/msg"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"invoice.paid\",\"payload\":{\"n\":1}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String messageId = accepted.body().replaceAll(".*\"id\":\"(msg_[^\"]+)\".*", "$1");
        String traceparent = accepted.headers().firstValue("traceparent").orElseThrow();
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.substring(3, 35);
        String gatewaySpanId = traceparent.substring(36, 52);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(collector.ofTrace(traceId))
                .extracting(ExportedSpan::service, ExportedSpan::kind)
                .contains(org.assertj.core.groups.Tuple.tuple("api-gateway", SpanKind.SPAN_KIND_SERVER),
                        org.assertj.core.groups.Tuple.tuple("ingest-service", SpanKind.SPAN_KIND_SERVER),
                        org.assertj.core.groups.Tuple.tuple("delivery-service", SpanKind.SPAN_KIND_CONSUMER),
                        org.assertj.core.groups.Tuple.tuple("delivery-service", SpanKind.SPAN_KIND_CLIENT)));

        List<ExportedSpan> trace = collector.ofTrace(traceId);
        ExportedSpan gatewaySpan = only(trace, "api-gateway", SpanKind.SPAN_KIND_SERVER);
        ExportedSpan ingestSpan = only(trace, "ingest-service", SpanKind.SPAN_KIND_SERVER);
        ExportedSpan consumed = only(trace, "delivery-service", SpanKind.SPAN_KIND_CONSUMER);
        ExportedSpan attempt = only(trace, "delivery-service", SpanKind.SPAN_KIND_CLIENT);
        assertThat(gatewaySpan.spanId()).isEqualTo(gatewaySpanId);
        assertThat(ingestSpan.parentSpanId()).isEqualTo(gatewaySpan.spanId());
        assertThat(consumed.parentSpanId()).isEqualTo(ingestSpan.spanId());
        assertThat(consumed.attributes()).containsEntry("hookrelay.msg_id", messageId);
        assertThat(attempt.parentSpanId()).isEqualTo(consumed.spanId());
        assertThat(attempt.attributes()).containsEntry("hookrelay.msg_id", messageId)
                .containsEntry("http.response.status_code", "204");
        // no span of this message in any other trace
        assertThat(collector.spans).filteredOn(span -> messageId.equals(span.attributes().get("hookrelay.msg_id")))
                .extracting(ExportedSpan::traceId).containsOnly(traceId);

        assertThat(attemptTraceIds(messageId)).containsExactly(traceId);
        var webhook = receiver.received.stream().filter(w -> w.headers().toString().contains(messageId)).findFirst().orElseThrow();
        assertThat(webhook.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("traceparent"));
        assertThat(Files.readString(data.resolve("platform/logs/api-gateway.log"))).contains("trace_id=" + traceId);
    }

    private static ExportedSpan only(List<ExportedSpan> trace, String service, SpanKind kind) {
        var found = trace.stream().filter(span -> span.service().equals(service) && span.kind() == kind).toList();
        assertThat(found).as("%s spans of %s", kind, service).hasSize(1);
        return found.getFirst();
    }

    private static List<String> attemptTraceIds(String messageId) throws SQLException {
        try (var connection = DriverManager.getConnection(platform.jdbcUrl(), PostgresServer.USER, "");
                var statement = connection.prepareStatement("select trace_id from delivery.attempt where msg_id = ?")) {
            statement.setString(1, messageId);
            var ids = new java.util.ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static Svix svix() {
        var options = new SvixOptions();
        options.setServerUrl(gateway);
        return new Svix(TOKEN, options);
    }

    /**
     * A home whose service jars are the repository's and whose argument files are
     * {@code deploy/jvm}'s plus the collector's address, every trace recorded and a short export delay.
     */
    private static Path tracedHome(Path home) throws IOException {
        Path jvm = Files.createDirectories(home.resolve("deploy/jvm"));
        for (String service : SERVICES) {
            Path jar = REPOSITORY.resolve(service + "/target/" + service + ".jar");
            Files.createDirectories(home.resolve(service + "/target"));
            Files.createSymbolicLink(home.resolve(service + "/target/" + service + ".jar"), jar);
            Files.writeString(jvm.resolve(service + ".options"),
                    Files.readString(REPOSITORY.resolve("deploy/jvm/" + service + ".options"))
                            + "\n-Dmanagement.opentelemetry.tracing.export.otlp.endpoint=" + collector.endpoint()
                            + "\n-Dmanagement.tracing.sampling.probability=1.0"
                            + "\n-Dmanagement.opentelemetry.tracing.export.schedule-delay=200ms\n");
        }
        Files.copy(REPOSITORY.resolve("deploy/jvm/kafka.options"), jvm.resolve("kafka.options"));
        return home;
    }
}
