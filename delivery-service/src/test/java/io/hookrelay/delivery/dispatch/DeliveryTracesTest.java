package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.events.MessageAccepted;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Against the real OpenTelemetry SDK, nothing sampled, as most traces are. */
class DeliveryTracesTest {

    private static final Instant LEASE_END = Instant.parse("2026-12-01T10:01:00Z");

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String INGEST_SPAN_ID = "00f067aa0ba902b7";

    private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.alwaysOff())).build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {});
    private final OtelPropagator propagator =
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);

    @AfterEach
    void close() {
        provider.close();
    }

    /** Recorded (the record says sampled), so the spans know their parents. */
    @Test
    void continuesTheTraceOfTheRecordsTraceparentHeaderAndPutsTheAttemptUnderIt() {
        var traces = traces(false);
        var record = record("00-" + TRACE_ID + "-" + INGEST_SPAN_ID + "-01");

        var consumed = traces.consumed(record);
        var attempt = traces.attempt(DeliveryTask.first(message(), endpoint(), consumed.context(), LEASE_END));

        assertThat(consumed.context().traceId()).isEqualTo(TRACE_ID);
        assertThat(consumed.context().parentId()).isEqualTo(INGEST_SPAN_ID);
        assertThat(attempt.context().traceId()).isEqualTo(TRACE_ID);
        assertThat(attempt.context().parentId()).isEqualTo(consumed.context().spanId());
        assertThat(DeliveryTraces.traceId(attempt)).isEqualTo(TRACE_ID);
    }

    @Test
    void keepsTheTraceIdOfATraceThatIsNotRecorded() {
        var traces = traces(false);
        var record = record("00-" + TRACE_ID + "-" + INGEST_SPAN_ID + "-00");

        var consumed = traces.consumed(record);
        var attempt = traces.attempt(DeliveryTask.first(message(), endpoint(), consumed.context(), LEASE_END));

        assertThat(consumed.context().sampled()).isFalse();
        assertThat(DeliveryTraces.traceId(attempt)).isEqualTo(TRACE_ID);
    }

    @Test
    void startsANewTraceForARecordWithoutOneAndForARetry() {
        var traces = traces(false);

        var consumed = traces.consumed(new ConsumerRecord<>("hookrelay.messages.v1", 0, 0L, "msg_1", new byte[0]));
        var retry = traces.attempt(DeliveryTask.scheduled(message(), endpoint(), 2, LEASE_END));

        assertThat(consumed.context().traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(DeliveryTraces.traceId(retry)).matches("[0-9a-f]{32}").isNotEqualTo(consumed.context().traceId());
    }

    @Test
    void tellsReceiversNothingUnlessConfigured() {
        var attempt = traces(false).attempt(DeliveryTask.first(message(), endpoint(), null, LEASE_END));
        var headers = new HttpHeaders();

        traces(false).addTo(headers, attempt);
        assertThat(headers.containsHeader("traceparent")).isFalse();

        traces(true).addTo(headers, attempt);
        assertThat(headers.getFirst("traceparent"))
                .isEqualTo("00-" + attempt.context().traceId() + "-" + attempt.context().spanId() + "-00");
    }

    private DeliveryTraces traces(boolean sendTraceparent) {
        return new DeliveryTraces(tracer, propagator, new TraceProperties(sendTraceparent));
    }

    private static ConsumerRecord<String, byte[]> record(String traceparent) {
        var record = new ConsumerRecord<>("hookrelay.messages.v1", 0, 0L, "msg_1", new byte[0]);
        record.headers().add(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII)));
        return record;
    }

    private static MessageAccepted message() {
        return new MessageAccepted("app_1", "msg_1", "invoice.paid", null, List.of(), "{}", Instant.now());
    }

    private static EndpointTarget endpoint() {
        return new EndpointTarget("ep_1", "app_1", "https://example.com", null, null, List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), null, Map.of());
    }
}
