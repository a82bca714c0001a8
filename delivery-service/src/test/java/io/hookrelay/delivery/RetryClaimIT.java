package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.retry.NoRoom;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.PrefixedId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The retry poller's claim is fair between applications. The rows are due in 30 days, out of
 * the running poller's way; other tests' rows are excluded through the applications skipped.
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

        List<PendingDelivery> first = pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 2, new NoRoom(Set.copyOf(others), Set.of())).block();

        assertThat(first).extracting(PendingDelivery::appId)
                .as("two of the backlog's oldest rows, and the other application's newer one")
                .containsExactlyInAnyOrder(backlogApp, backlogApp, otherApp);

        var skipping = new ArrayList<>(others);
        skipping.add(backlogApp);
        List<PendingDelivery> second = pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 2, new NoRoom(Set.copyOf(skipping), Set.of())).block();

        assertThat(second).as("the backlog's 18 due rows stay unclaimed while its application has no room").isEmpty();
    }

    /**
     * An endpoint whose slots and line are full in this process: its due rows would only be
     * handed back, so they stay where they are, and the other endpoints' rows are claimed.
     */
    @Test
    void anEndpointWithoutRoomIsSkippedAndTheOthersOfItsApplicationAreClaimed() {
        String full = ids.next(PrefixedId.ENDPOINT);
        String free = ids.next(PrefixedId.ENDPOINT);
        for (int i = 0; i < 3; i++) {
            due(backlogApp, full, LATER.minusSeconds(10 - i));
        }
        due(backlogApp, free, LATER);
        List<String> others = db.sql("select distinct app_id from delivery.pending_delivery where app_id <> :a")
                .bind("a", backlogApp)
                .map(row -> row.get("app_id", String.class)).all().collectList().block();

        List<PendingDelivery> claimed = pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 5,
                new NoRoom(Set.copyOf(others), Set.of(full))).block();

        assertThat(claimed).extracting(PendingDelivery::endpointId).as("the older rows are the full endpoint's")
                .containsExactly(free);
        assertThat(pending.claimDue(LATER.plusSeconds(1), 5, Duration.ofMinutes(1), 5,
                        new NoRoom(Set.copyOf(others), Set.of())).block())
                .extracting(PendingDelivery::endpointId).as("once it has room again").containsExactly(full, full, full);
    }

    private void due(String appId, Instant dueAt) {
        due(appId, ids.next(PrefixedId.ENDPOINT), dueAt);
    }

    private void due(String appId, String endpointId, Instant dueAt) {
        pending.save(new PendingDelivery(ids.next(PrefixedId.MESSAGE), endpointId, appId, 1,
                PendingDelivery.State.SCHEDULED, dueAt, "retryable", "HTTP 500")).block();
    }
}
