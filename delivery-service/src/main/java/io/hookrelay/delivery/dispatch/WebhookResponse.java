package io.hookrelay.delivery.dispatch;

import java.time.Duration;

/** What came back from one send: a response, or why there was none. */
sealed interface WebhookResponse {

    Duration duration();

    record Received(int status, String retryAfter, String bodyPrefix, Duration duration) implements WebhookResponse {}

    record NoResponse(String reason, Duration duration) implements WebhookResponse {}
}
