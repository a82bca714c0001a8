package io.hookrelay.delivery.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.classification.DeliveryOutcome.Delivered;
import io.hookrelay.delivery.classification.DeliveryOutcome.EndpointGone;
import io.hookrelay.delivery.classification.DeliveryOutcome.Failed;
import io.hookrelay.delivery.classification.DeliveryOutcome.Retryable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final StatusClassifier classifier = new StatusClassifier(
            new ClassificationProperties(Set.of(408, 425, 429, 500, 502, 503, 504), Set.of(410), Duration.ofHours(1)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void treats2xxAsDelivered(int status) {
        assertThat(classifier.classify(status, null)).isInstanceOf(Delivered.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504})
    void treatsTransientStatusesAsRetryable(int status) {
        assertThat(classifier.classify(status, null)).isInstanceOf(Retryable.class);
    }

    @Test
    void treats410AsEndpointGone() {
        assertThat(classifier.classify(410, null)).isInstanceOf(EndpointGone.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413, 422, 501, 505})
    void treatsOtherErrorsAsPermanentFailures(int status) {
        assertThat(classifier.classify(status, null)).isInstanceOf(Failed.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 308})
    void treatsRedirectsAsFailuresBecauseTheyAreNotFollowed(int status) {
        assertThat(classifier.classify(status, null))
                .isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.reason()).contains("redirect"));
    }

    @Test
    void treatsNetworkErrorsAsRetryable() {
        assertThat(classifier.classifyNetworkError("Connection refused")).isInstanceOf(Retryable.class);
    }

    @Test
    void honoursRetryAfterSecondsOn429And503() {
        assertThat(classifier.classify(429, "120"))
                .isEqualTo(new Retryable("HTTP 429", Optional.of(Duration.ofSeconds(120))));
        assertThat(classifier.classify(503, "7"))
                .isEqualTo(new Retryable("HTTP 503", Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        assertThat(classifier.classify(503, "Mon, 23 Nov 2026 10:05:00 GMT"))
                .isEqualTo(new Retryable("HTTP 503", Optional.of(Duration.ofMinutes(5))));
    }

    @Test
    void capsRetryAfter() {
        assertThat(classifier.classify(429, "999999999999999999999"))
                .isEqualTo(new Retryable("HTTP 429", Optional.of(Duration.ofHours(1))));
        assertThat(classifier.classify(429, "86400"))
                .isEqualTo(new Retryable("HTTP 429", Optional.of(Duration.ofHours(1))));
    }

    @Test
    void ignoresRetryAfterWhenMalformedOrOnOtherStatuses() {
        assertThat(classifier.classify(429, "soon")).isEqualTo(new Retryable("HTTP 429", Optional.empty()));
        assertThat(classifier.classify(500, "30")).isEqualTo(new Retryable("HTTP 500", Optional.empty()));
    }

    @Test
    void treatsAPastRetryAfterDateAsNoDelay() {
        assertThat(classifier.classify(503, "Mon, 23 Nov 2026 09:00:00 GMT"))
                .isEqualTo(new Retryable("HTTP 503", Optional.of(Duration.ZERO)));
    }

    @Test
    void followsAConfiguredTable() {
        var strict = new StatusClassifier(
                new ClassificationProperties(Set.of(500), Set.of(404, 410), Duration.ofMinutes(10)), Clock.systemUTC());

        assertThat(strict.classify(503, null)).isInstanceOf(Failed.class);
        assertThat(strict.classify(404, null)).isInstanceOf(EndpointGone.class);
    }
}
