package io.hookrelay.delivery.retry;

import io.hookrelay.support.lifecycle.TableBacklog;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Deliveries owed: {@code hookrelay.delivery.pending} (rows of {@code delivery.pending_delivery})
 * and {@code hookrelay.delivery.pending.oldest.age} (since the message of the oldest owed delivery
 * was accepted; message ids sort by time, so that is the smallest id, found through the primary
 * key). Every process reports the same figures: dashboards and alerts take the max. A resend or
 * recover of old messages shows as old owed deliveries until they are made.
 */
@Component
class PendingBacklog extends TableBacklog {

    PendingBacklog(DatabaseClient db, MeterRegistry meters) {
        super(db, meters,
                new Gauges("hookrelay.delivery.pending",
                        "Deliveries owed (rows of delivery.pending_delivery: scheduled, in flight or dead-lettering)",
                        "hookrelay.delivery.pending.oldest.age",
                        "Time since the message of the oldest owed delivery was accepted (0 when none is owed)"),
                "select count(*) as rows, coalesce(extract(epoch from now() - (select m.created_at from ingest.message m"
                        + " where m.id = (select min(msg_id) from delivery.pending_delivery))), 0)::float8 as age"
                        + " from delivery.pending_delivery");
    }
}
