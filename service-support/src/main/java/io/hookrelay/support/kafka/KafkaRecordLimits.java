package io.hookrelay.support.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every Kafka size limit of HookRelay, derived from one setting so they cannot disagree (see
 * docs/configuration.md, "Record size limits"). A message is accepted only if its record fits
 * {@link #maxRecordBytes}, measured as the producer measures it; the topics allow a little more
 * than the producers send, so whatever a producer lets through, the broker takes.
 *
 * @param maxRecordBytes the largest messages record (key, value, headers and Kafka's own
 *     overhead) ingest-service accepts and its producer sends
 */
@ConfigurationProperties("hookrelay.kafka")
public record KafkaRecordLimits(@DefaultValue("1MB") DataSize maxRecordBytes) {

    /**
     * Room above a producer's limit for what the broker counts and the producer does not: the
     * batch header and LZ4 framing, which can make an incompressible batch slightly larger.
     */
    public static final int HEADROOM = 64 * 1024;

    private static final long SMALLEST = 16 * 1024;
    private static final long LARGEST = 64L * 1024 * 1024;

    public KafkaRecordLimits {
        if (maxRecordBytes.toBytes() < SMALLEST || maxRecordBytes.toBytes() > LARGEST) {
            throw new IllegalArgumentException("hookrelay.kafka.max-record-bytes must be between 16KB and 64MB, not "
                    + maxRecordBytes);
        }
    }

    /** The accept limit, and ingest's producer {@code max.request.size}. */
    public int maxRecordSize() {
        return (int) maxRecordBytes.toBytes();
    }

    /** {@code max.message.bytes} of {@code hookrelay.messages.v1}. */
    public int messagesTopicMaxBytes() {
        return maxRecordSize() + HEADROOM;
    }

    /**
     * delivery-service's producer {@code max.request.size}: a dead letter is a messages record
     * (at most what that topic takes) plus headers saying why.
     */
    public int deadLetterProducerMaxBytes() {
        return messagesTopicMaxBytes() + HEADROOM;
    }

    /** {@code max.message.bytes} of the messages dead-letter topic. */
    public int deadLetterTopicMaxBytes() {
        return deadLetterProducerMaxBytes() + HEADROOM;
    }

    /**
     * The size the producer gives a record when it checks {@code max.request.size}: key, value,
     * headers, the record's own framing and a batch header (an upper bound, independent of
     * compression).
     */
    public static int sizeOf(String key, byte[] value, Header... headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** A topic with the given {@code max.message.bytes}; partitions and replicas are the broker's defaults. */
    public static NewTopic topic(String name, int maxMessageBytes) {
        return new NewTopic(name, Optional.empty(), Optional.empty())
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
    }
}
