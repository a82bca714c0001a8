package io.hookrelay.delivery.dispatch;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Short in-process retries (Resilience4j {@code Retry}) within one attempt, for failures that a
 * moment's wait usually cures: connection refused or reset, or a pooled keep-alive connection the
 * receiver had already closed. Timeouts are not retried here (the attempt has waited long
 * enough), nor are HTTP error statuses: both go to the durable schedule.
 */
@Component
class QuickRetry {

    private final Retry retry;

    QuickRetry(Settings settings) {
        this.retry = Retry.of("webhook-transient", RetryConfig.<WebhookResponse>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialInterval(), 2.0, 0.5))
                .retryOnResult(QuickRetry::isTransient)
                .failAfterMaxAttempts(false)
                .retryExceptions()
                .build());
    }

    Mono<WebhookResponse> around(Mono<WebhookResponse> send) {
        return send.transformDeferred(RetryOperator.of(retry));
    }

    static boolean isTransient(WebhookResponse response) {
        return response instanceof WebhookResponse.NoResponse none && !none.reason().startsWith("Timed out");
    }

    /**
     * @param maxAttempts requests in one attempt at most, the first included (1 turns it off)
     * @param initialInterval wait before the first quick retry; doubled each time, ±50% jitter
     */
    @ConfigurationProperties("hookrelay.delivery.quick-retry")
    record Settings(@DefaultValue("3") int maxAttempts, @DefaultValue("100ms") Duration initialInterval) {}
}
