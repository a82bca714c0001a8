package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.Traceparent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Delivery's spans (ADR 0018): one per message record consumed, continuing the trace its
 * {@code traceparent} header names (ingest's request span, through the outbox), and one client
 * span per attempt under it. A record without the header (written before traces were kept)
 * starts a trace of its own; so does an attempt the retry poller or a person starts, since its
 * delivery row keeps no trace. Every span has a trace id whether or not the trace is recorded
 * (sampling decides only that), so every attempt row gets one.
 *
 * <p>Built by hand rather than through Spring Kafka's observation: the listener is a plain
 * {@code @KafkaListener} returning a Mono, and one header read is all the propagation it needs.
 */
@Component
class DeliveryTraces {

    private static final Propagator.Getter<Headers> KAFKA_HEADERS = (headers, key) -> {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    };

    private final Tracer tracer;
    private final Propagator propagator;
    private final TraceProperties properties;

    DeliveryTraces(Tracer tracer, Propagator propagator, TraceProperties properties) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.properties = properties;
    }

    /** Started; the caller ends it once the record is handled. */
    Span consumed(ConsumerRecord<String, byte[]> record) {
        return propagator.extract(record.headers(), KAFKA_HEADERS)
                .kind(Span.Kind.CONSUMER)
                .name(record.topic() + " process")
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", record.topic())
                .tag("messaging.kafka.message.key", record.key() == null ? "" : record.key())
                .start();
    }

    /** Started; a child of the consumed record's span when the task has one, else a new trace. */
    Span attempt(DeliveryTask task) {
        Span.Builder builder = tracer.spanBuilder().kind(Span.Kind.CLIENT).name("webhook POST");
        if (task.trace() == null) {
            builder.setNoParent();
        } else {
            builder.setParent(task.trace());
        }
        return builder.tag("http.request.method", "POST")
                .tag("hookrelay.msg_id", task.message().messageId())
                .tag("hookrelay.endpoint_id", task.endpoint().id())
                .tag("hookrelay.attempt", task.attempt())
                .start();
    }

    /** The attempt's {@code traceparent} for the receiver, only when configured to send it. */
    void addTo(HttpHeaders headers, Span attempt) {
        if (properties.sendTraceparent()) {
            TraceContext context = attempt.context();
            String traceparent = Traceparent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
            if (traceparent != null) {
                headers.set(Traceparent.HEADER, traceparent);
            }
        }
    }

    /** For the attempt row: the span's trace id, sampled or not; null when tracing is off. */
    static String traceId(Span span) {
        TraceContext context = span.context();
        return Traceparent.traceId(Traceparent.of(context.traceId(), context.spanId(), false));
    }

    /** For log lines about the attempt: its trace and span ids in the logging context (MDC). */
    Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
