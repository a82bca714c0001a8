package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.PrefixedId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The retry poller's claim is fair between applications. The rows are due in 30 days, out of
 * the running poller's way; other tests' rows are excluded through the skipped list.
 */
class RetryClaimIT extends DeliveryIntegrationTest {

    private static final Instant LATER = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    PendingDeliveries pending;

    private final String backlogApp = ids.next(PrefixedId.APPLICATION);
    private final String otherApp = ids.next(PrefixedId.APPLICATION);

    @AfterEach
    void removeRows() {
        db.sql("delete from delivery.pending_delivery where app_id in (:a, :b)").bind("a", backlogApp).bind("b", otherApp)
                .then().block();
    }

    @Test
    void aBacklogOfOneApplicationCannotFillTheBatchAndAnApplicationWithoutRoomIsSkipped() {
        for (int i = 0; i < 20; i++) {
            due(backlogApp, LATER.minusSeconds(100 - i));
        }
        due(otherApp, LATER);
        List<String> others = db.sql("select distinct app_id from delivery.pending_delivery where app_id not in (:a, :b)")
                .bind("a", backlogApp).bind("b", otherApp)
                .map(row -> row.get("app_id", String.class)).all().collectList().block();

        List<PendingDelivery> first = pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 2, others).block();

        assertThat(first).extracting(PendingDelivery::appId)
                .as("two of the backlog's oldest rows, and the other application's newer one")
                .containsExactlyInAnyOrder(backlogApp, backlogApp, otherApp);

        var skipping = new ArrayList<>(others);
        skipping.add(backlogApp);
        List<PendingDelivery> second = pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 2, skipping).block();

        assertThat(second).as("the backlog's 18 due rows stay unclaimed while its application has no room").isEmpty();
    }

    private void due(String appId, Instant dueAt) {
        pending.save(new PendingDelivery(ids.next(PrefixedId.MESSAGE), ids.next(PrefixedId.ENDPOINT), appId, 1,
                PendingDelivery.State.SCHEDULED, dueAt, "retryable", "HTTP 500")).block();
    }
}
