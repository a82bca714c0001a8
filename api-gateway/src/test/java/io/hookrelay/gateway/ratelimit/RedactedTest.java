package io.hookrelay.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedactedTest {

    @Test
    void hidesThePasswordOfARedisUriInEveryForm() {
        assertThat(Redacted.uri(URI.create("redis://:pw-1@cache:6379/0"))).isEqualTo("redis://***@cache:6379/0");
        assertThat(Redacted.uri("rediss://app:pw-2@cache.internal:6380")).isEqualTo("rediss://***@cache.internal:6380");
        assertThat(Redacted.uri("redis-sentinel://:pw-3@s1:26379,s2:26379/0#main")).doesNotContain("pw-3");
        assertThat(Redacted.uri("redis://:p@ss-4@cache:6379")).doesNotContain("ss-4").endsWith("@cache:6379");
        assertThat(Redacted.uri("Unable to connect to redis://:pw-5@cache:6379 (refused)"))
                .isEqualTo("Unable to connect to redis://***@cache:6379 (refused)");
    }

    @Test
    void leavesTextWithoutCredentialsAsItIs() {
        assertThat(Redacted.uri("redis://cache:6379")).isEqualTo("redis://cache:6379");
        assertThat(Redacted.uri("Connection refused: /127.0.0.1:6379")).isEqualTo("Connection refused: /127.0.0.1:6379");
        assertThat(Redacted.uri(null)).isNull();
    }

    @Test
    void configurationTextShowsNoPassword() {
        var properties = new RateLimitProperties(true, 1, 1, RateLimitProperties.Organisation.unlimited(), URI.create("redis://:pw-6@cache:6379"), java.time.Duration.ofSeconds(1));

        assertThat(properties.toString()).doesNotContain("pw-6").contains("redis://***@cache:6379");
    }
}
