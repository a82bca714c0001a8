package io.hookrelay.ingest.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaProducerException;

class PublishFailuresTest {

    @Test
    void failuresOfTheRecordItselfAreFinal() {
        assertThat(PublishFailures.isFinal(new RecordTooLargeException("1.65 MB"))).isTrue();
        assertThat(PublishFailures.isFinal(new RecordBatchTooLargeException("batch"))).isTrue();
        assertThat(PublishFailures.isFinal(new InvalidTopicException("bad name"))).isTrue();
        assertThat(PublishFailures.isFinal(new TopicAuthorizationException("no write"))).isTrue();
        assertThat(PublishFailures.isFinal(new InvalidRecordException("no key on a compacted topic"))).isTrue();
        assertThat(PublishFailures.isFinal(new SerializationException("key"))).isTrue();
    }

    @Test
    void seesTheKafkaCauseThroughSpringsAndFuturesWrappers() {
        var wrapped = new CompletionException(new KafkaProducerException(
                new ProducerRecord<>("t", "k", "v"), "Failed to send", new RecordTooLargeException("big")));

        assertThat(PublishFailures.isFinal(wrapped)).isTrue();
        assertThat(PublishFailures.cause(wrapped)).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void transientFailuresAreRetried() {
        assertThat(PublishFailures.isFinal(new TimeoutException("broker away"))).isFalse();
        assertThat(PublishFailures.isFinal(new NotLeaderOrFollowerException("moving"))).isFalse();
        assertThat(PublishFailures.isFinal(new UnknownTopicOrPartitionException("not yet"))).isFalse();
    }

    @Test
    void failuresOfTheProducerOrClusterAreRetriedNotBlamedOnEveryRecord() {
        assertThat(PublishFailures.isFinal(new AuthenticationException("bad password"))).isFalse();
        assertThat(PublishFailures.isFinal(new ClusterAuthorizationException("idempotent write"))).isFalse();
        assertThat(PublishFailures.isFinal(new ProducerFencedException("fenced"))).isFalse();
        assertThat(PublishFailures.isFinal(new OutOfOrderSequenceException("sequence"))).isFalse();
        assertThat(PublishFailures.isFinal(new UnsupportedVersionException("old broker"))).isFalse();
        assertThat(PublishFailures.isFinal(new IllegalStateException("producer closed"))).isFalse();
    }
}
