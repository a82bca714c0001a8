package io.hookrelay.ingest.outbox;

import java.util.Set;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Which failures to publish a record are the record's own and final (ADR 0010). Kafka marks
 * transient failures as {@link RetriableException}; of the others, only those about this record
 * or its topic are final for the record. A non-retriable failure of the producer or the cluster
 * (authentication, a fenced or out-of-sequence producer, an unsupported version) would refuse
 * every record alike: setting them all aside would empty the outbox into the parking table, so
 * those are retried like transient ones.
 */
final class PublishFailures {

    private static final Set<Class<? extends KafkaException>> FINAL_FOR_THE_RECORD = Set.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidTopicException.class,
            TopicAuthorizationException.class,
            InvalidRecordException.class,
            SerializationException.class);

    private PublishFailures() {}

    /** The Kafka exception behind a failed send, if there is one. */
    static Throwable cause(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof KafkaException) {
                return current;
            }
            current = current.getCause();
        }
        return failure;
    }

    /** True when sending this record again can never succeed. */
    static boolean isFinal(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof RetriableException) {
            return false;
        }
        return FINAL_FOR_THE_RECORD.stream().anyMatch(type -> type.isInstance(cause));
    }
}
