package io.hookrelay.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class KafkaRecordLimitsTest {

    final KafkaRecordLimits limits = new KafkaRecordLimits(DataSize.ofMegabytes(1));

    @Test
    void everyLimitDownstreamTakesWhatTheOneBeforeItLetsThrough() {
        assertThat(limits.maxRecordSize()).isEqualTo(1_048_576);
        assertThat(limits.messagesTopicMaxBytes()).isGreaterThan(limits.maxRecordSize());
        assertThat(limits.deadLetterProducerMaxBytes()).isGreaterThan(limits.messagesTopicMaxBytes());
        assertThat(limits.deadLetterTopicMaxBytes()).isGreaterThan(limits.deadLetterProducerMaxBytes());
        assertThat(limits.messagesTopicMaxBytes()).isEqualTo(1_114_112);
        assertThat(limits.deadLetterTopicMaxBytes()).isEqualTo(1_245_184);
    }

    @Test
    void aRecordIsMeasuredWithKeyHeadersAndKafkasOverhead() {
        byte[] value = new byte[1000];

        int bare = KafkaRecordLimits.sizeOf("msg_1", value);
        int withHeader = KafkaRecordLimits.sizeOf("msg_1", value, new RecordHeader("h", new byte[100]));

        assertThat(bare).isGreaterThan(1000 + "msg_1".length() + 60);
        assertThat(withHeader - bare).isGreaterThanOrEqualTo(101);
    }

    @Test
    void topicsCarryTheirLimitAndLeavePartitionsToTheBroker() {
        var topic = KafkaRecordLimits.topic("t", limits.messagesTopicMaxBytes());

        assertThat(topic.configs()).containsEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1114112");
        assertThat(topic.numPartitions()).isEqualTo(-1);
        assertThat(topic.replicationFactor()).isEqualTo((short) -1);
    }

    @Test
    void refusesLimitsOutsideWhatKafkaCanSensiblyCarry() {
        assertThatThrownBy(() -> new KafkaRecordLimits(DataSize.ofKilobytes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaRecordLimits(DataSize.ofGigabytes(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
