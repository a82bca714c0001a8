package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.retry.DeliveryClaims;
import io.hookrelay.delivery.retry.DeliveryClaims.NewClaims;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.events.PrefixedId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An attempt that never started gives its row back to the retry poller only while the row still
 * carries that attempt's claim, its lease end and this process (ADR 0039): a row claimed again
 * meanwhile, by a resend or by another process, keeps the new claim, or it would be attempted twice
 * at once. The rows' message and
 * endpoints do not exist: a row the running poller takes is dropped, which these tests allow for
 * (a released row is "no longer under the old claim", however the poller treats it afterwards).
 */
class ReleaseFenceIT extends DeliveryIntegrationTest {

    @Autowired
    DeliveryClaims claims;

    @Autowired
    PendingDeliveries pending;

    private final String msgId = ids.next(PrefixedId.MESSAGE);
    private final String endpointA = ids.next(PrefixedId.ENDPOINT);
    private final String endpointB = ids.next(PrefixedId.ENDPOINT);

    @AfterEach
    void removeRows() {
        db.sql("delete from delivery.pending_delivery where msg_id = :msg").bind("msg", msgId).then().block();
    }

    @Test
    void aClaimReportsTheLeaseAsStoredAndItsReleaseMakesTheRowDue() {
        NewClaims claimed = claims.claimNew(appId, msgId, List.of(endpointA), Instant.now().plusSeconds(60)).block();

        assertThat(claimed.endpointIds()).containsExactly(endpointA);
        assertThat(dueAt(endpointA)).as("the fence is the value PostgreSQL stored").contains(claimed.leaseEnd());

        pending.releaseNow(msgId, endpointA, claimed.leaseEnd()).block();

        assertReleasedFrom(endpointA, claimed.leaseEnd());
    }

    @Test
    void aReleaseLeavesARowClaimedAgainByAResendToTheResend() {
        NewClaims first = claims.claimNew(appId, msgId, List.of(endpointA), Instant.now().plusSeconds(60)).block();
        Instant resend = pending.claimForResend(appId, msgId, endpointA, Instant.now().plusSeconds(90)).block();

        pending.releaseNow(msgId, endpointA, first.leaseEnd()).block();

        assertThat(dueAt(endpointA)).as("still the resend's lease").contains(resend);
        assertThat(claimedBy(endpointA)).as("still claimed").isNotNull();

        pending.releaseNow(msgId, endpointA, resend).block();

        assertReleasedFrom(endpointA, resend);
    }

    @Test
    void aReleaseOfSeveralEndpointsReleasesOnlyTheRowsStillUnderItsClaim() {
        NewClaims first = claims.claimNew(appId, msgId, List.of(endpointA, endpointB), Instant.now().plusSeconds(60)).block();
        Instant resend = pending.claimForResend(appId, msgId, endpointB, Instant.now().plusSeconds(90)).block();

        pending.releaseNow(msgId, List.of(endpointA, endpointB), first.leaseEnd()).block();

        assertReleasedFrom(endpointA, first.leaseEnd());
        assertThat(dueAt(endpointB)).contains(resend);
    }

    /**
     * No longer under the claim that ended at {@code leaseEnd}: due now, or (the poller is running)
     * claimed by it since, or dropped by it (the message does not exist).
     */
    private void assertReleasedFrom(String endpointId, Instant leaseEnd) {
        assertThat(dueAt(endpointId)).as("released").isNotEqualTo(Optional.of(leaseEnd));
    }

    private Optional<Instant> dueAt(String endpointId) {
        return db.sql("select due_at from delivery.pending_delivery where msg_id = :msg and endpoint_id = :ep")
                .bind("msg", msgId).bind("ep", endpointId)
                .map(row -> row.get("due_at", Instant.class))
                .one()
                .blockOptional();
    }

    private Long claimedBy(String endpointId) {
        return db.sql("select claimed_by from delivery.pending_delivery where msg_id = :msg and endpoint_id = :ep")
                .bind("msg", msgId).bind("ep", endpointId)
                .map(row -> row.get("claimed_by", Long.class))
                .one()
                .block();
    }
}
