package io.hookrelay.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void startsFullAndRefusesOnceEmpty() {
        var bucket = new TokenBucket(3, 1, 0);
        assertThat(bucket.take(0)).isEqualTo(new Allowance(true, 3, 2, 0, 1000));
        assertThat(bucket.take(0).remaining()).isEqualTo(1);
        assertThat(bucket.take(0).remaining()).isZero();
        var refused = bucket.take(0);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMillis()).isEqualTo(1000);
        assertThat(refused.resetMillis()).isEqualTo(3000);
    }

    @Test
    void refillsContinuouslyAtTheRateAndNeverAboveCapacity() {
        var bucket = new TokenBucket(10, 20, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.take(0).allowed()).isTrue();
        }
        assertThat(bucket.take(0).allowed()).isFalse();
        assertThat(bucket.take(25).retryAfterMillis()).isEqualTo(25); // half a token after 25 ms
        assertThat(bucket.take(50).allowed()).isTrue();                // one token per 50 ms
        assertThat(bucket.take(50).allowed()).isFalse();
        assertThat(bucket.take(60_000).remaining()).isEqualTo(9);      // capped at capacity, minus this one
    }

    @Test
    void aClockGoingBackwardsGivesNothingAway() {
        var bucket = new TokenBucket(1, 1, 1000);
        assertThat(bucket.take(1000).allowed()).isTrue();
        assertThat(bucket.take(0).allowed()).isFalse();
        assertThat(bucket.take(1500).allowed()).isFalse();
        assertThat(bucket.take(2000).allowed()).isTrue();
    }
}
