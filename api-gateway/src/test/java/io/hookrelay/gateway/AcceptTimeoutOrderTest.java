package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ingest-service answers a message creation within its accept deadline, saying whether the
 * message may have been accepted; the gateway must wait longer than that, or its own time-out
 * would answer first (the same words, but for a request ingest may have finished a moment later),
 * and less than a client's patience. The shipped settings keep that order (docs/reliability.md,
 * ADR 0021).
 */
class AcceptTimeoutOrderTest {

    @Test
    void theGatewayWaitsLongerThanIngestTakesToAnswerAnAccept() throws Exception {
        Duration gatewayWaits = IdleTimeoutOrderTest.setting("api-gateway", "hookrelay.gateway.downstream.accept-timeout");
        Duration ingestAnswersWithin = IdleTimeoutOrderTest.setting("ingest-service", "hookrelay.ingest.accept.deadline");

        assertThat(ingestAnswersWithin).isPositive();
        assertThat(gatewayWaits).isGreaterThan(ingestAnswersWithin.plusSeconds(1));
    }

    /**
     * A message creation is answered within 5 s however busy the machine (bin/chaos counts a
     * slower answer as a hang), so the gateway gives up on ingest before that.
     */
    @Test
    void aMessageCreationWaitsLessThanAClientsPatienceAndNoLongerThanAnyOtherCall() throws Exception {
        Duration accept = IdleTimeoutOrderTest.setting("api-gateway", "hookrelay.gateway.downstream.accept-timeout");
        Duration other = IdleTimeoutOrderTest.setting("api-gateway", "hookrelay.gateway.downstream.response-timeout");

        assertThat(accept).isLessThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(other);
    }
}
