package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ingest-service answers a message creation within its accept deadline, saying whether the
 * message may have been accepted; the gateway must wait longer than that, or its own time-out
 * (a 503 that knows less) would answer first. The shipped settings keep that order
 * (docs/reliability.md, ADR 0021).
 */
class AcceptTimeoutOrderTest {

    @Test
    void theGatewayWaitsLongerThanIngestTakesToAnswerAnAccept() throws Exception {
        Duration gatewayWaits = IdleTimeoutOrderTest.setting("api-gateway", "hookrelay.gateway.downstream.response-timeout");
        Duration ingestAnswersWithin = IdleTimeoutOrderTest.setting("ingest-service", "hookrelay.ingest.accept.deadline");

        assertThat(ingestAnswersWithin).isPositive();
        assertThat(gatewayWaits).isGreaterThan(ingestAnswersWithin.plusSeconds(1));
    }
}
