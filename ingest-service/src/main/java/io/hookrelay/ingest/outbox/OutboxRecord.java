package io.hookrelay.ingest.outbox;

import io.hookrelay.events.Traceparent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A row of {@code ingest.outbox}: one Kafka record waiting to be published, with the
 * {@code traceparent} of the request that wrote it (null when there was none; ADR 0018).
 */
public record OutboxRecord(long id, String topic, String key, byte[] payload, String traceparent) {

    /** The record to send: the trace context travels in a header, the value stays as stored. */
    ProducerRecord<String, byte[]> toProducerRecord() {
        return new ProducerRecord<>(topic, null, key, payload, headers(traceparent));
    }

    /** The headers a record with this trace context carries: count them when measuring the record. */
    public static List<Header> headers(String traceparent) {
        return traceparent == null
                ? List.of()
                : List.of(new RecordHeader(Traceparent.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII)));
    }
}
