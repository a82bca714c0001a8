package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.local.OtlpCollector.ExportedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One message through the whole platform (the three services as their own processes, real
 * PostgreSQL and Kafka) makes one trace: the services export their spans over OTLP to a collector
 * in this test, and every span of the message — the gateway's and ingest's server spans, delivery's
 * consume span (across the outbox and Kafka) and its attempt's client span — carries the trace id
 * the gateway answered with, each the child of the one before; the attempt row keeps that id, and
 * ingest's and delivery's log lines about the message carry it with the span they were written under.
 *
 * <p>The services get the collector's address, full sampling and those loggers at DEBUG as JVM
 * system properties from {@link SharedPlatform}, whose other classes' traces are told apart by
 * trace and message id.
 */
@ExtendWith(SharedPlatform.Extension.class)
class TracingEndToEndIT {

    static final String TOKEN = SharedPlatform.ADMIN_TOKEN;

    static SharedPlatform platform;
    static OtlpCollector collector;
    static Receiver receiver;
    static String gateway;
    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which Netty refuses (413) for a request with a body
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void connect(SharedPlatform shared) {
        platform = shared;
        collector = shared.collector();
        receiver = new Receiver();
        gateway = shared.gateway();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneMessageMakesOneTraceWithSpansOfAllThreeServicesAndItsAttemptRowKeepsTheTraceId() throws Exception {
        var sent = sendOneMessage("Traced");
        String messageId = sent.messageId();
        String traceId = sent.traceId();

        awaitAllSpansOf(traceId);

        List<ExportedSpan> trace = collector.ofTrace(traceId);
        ExportedSpan gatewaySpan = only(trace, "api-gateway", SpanKind.SPAN_KIND_SERVER);
        ExportedSpan ingestSpan = only(trace, "ingest-service", SpanKind.SPAN_KIND_SERVER);
        ExportedSpan consumed = only(trace, "delivery-service", SpanKind.SPAN_KIND_CONSUMER);
        ExportedSpan attempt = only(trace, "delivery-service", SpanKind.SPAN_KIND_CLIENT);
        assertThat(gatewaySpan.spanId()).isEqualTo(sent.gatewaySpanId());
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
        assertThat(Files.readString(platform.log("api-gateway"))).contains("trace_id=" + traceId);
    }

    @Test
    void ingestsAndDeliverysLogLinesAboutTheMessageCarryItsTrace() throws Exception {
        var sent = sendOneMessage("Logged");

        awaitAllSpansOf(sent.traceId());

        List<ExportedSpan> trace = collector.ofTrace(sent.traceId());
        String ingestSpanId = only(trace, "ingest-service", SpanKind.SPAN_KIND_SERVER).spanId();
        String attemptSpanId = only(trace, "delivery-service", SpanKind.SPAN_KIND_CLIENT).spanId();
        // Boot's correlation: "[traceId-spanId] " before the logger's name, wherever a span is in scope
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(linesAbout(sent.messageId(), "ingest-service"))
                    .anyMatch(line -> line.matches(".* \\[" + sent.traceId() + "-" + ingestSpanId + "\\] .*"
                            + "AcceptLog +: Accepted message " + sent.messageId() + " for app .*"));
            assertThat(linesAbout(sent.messageId(), "delivery-service"))
                    .anyMatch(line -> line.matches(".* \\[" + sent.traceId() + "-" + attemptSpanId + "\\] .*"
                            + "DeliveryAttempt +: Attempt 1 of " + sent.messageId() + " to .*: Delivered\\[\\]; next: Done\\[\\]"));
        });
    }

    /** What the gateway answered for one message posted to a new application with one endpoint (the receiver). */
    private record Sent(String messageId, String traceId, String gatewaySpanId) {}

    private static Sent sendOneMessage(String applicationName) throws Exception {
        var svix = svix();
        var app = svix.getApplication().create(new ApplicationIn().name(applicationName));
        svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url())));
        var accepted = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/app/" + app.getId() + "/msg"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"invoice.paid\",\"payload\":{\"n\":1}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String traceparent = accepted.headers().firstValue("traceparent").orElseThrow();
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        return new Sent(accepted.body().replaceAll(".*\"id\":\"(msg_[^\"]+)\".*", "$1"),
                traceparent.substring(3, 35), traceparent.substring(36, 52));
    }

    /** Until the collector holds the message's span of each hop: the attempt has been made. */
    private static void awaitAllSpansOf(String traceId) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(collector.ofTrace(traceId))
                .extracting(ExportedSpan::service, ExportedSpan::kind)
                .contains(org.assertj.core.groups.Tuple.tuple("api-gateway", SpanKind.SPAN_KIND_SERVER),
                        org.assertj.core.groups.Tuple.tuple("ingest-service", SpanKind.SPAN_KIND_SERVER),
                        org.assertj.core.groups.Tuple.tuple("delivery-service", SpanKind.SPAN_KIND_CONSUMER),
                        org.assertj.core.groups.Tuple.tuple("delivery-service", SpanKind.SPAN_KIND_CLIENT)));
    }

    /** Read leniently: the service may be in the middle of writing a line. */
    private static List<String> linesAbout(String messageId, String service) throws IOException {
        return new String(Files.readAllBytes(platform.log(service)), StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(messageId))
                .toList();
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
}
