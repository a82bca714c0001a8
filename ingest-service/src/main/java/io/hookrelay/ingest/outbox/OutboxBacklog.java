package io.hookrelay.ingest.outbox;

import io.hookrelay.support.lifecycle.TableBacklog;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The outbox seen from outside the relay: {@code hookrelay.outbox.rows} (records not yet on Kafka)
 * and {@code hookrelay.outbox.oldest.age} (since the oldest of them was accepted). A growing age
 * is the sign of a stuck relay or an unreachable Kafka (alert {@code HookRelayOutboxStuck}).
 */
@Component
class OutboxBacklog extends TableBacklog {

    OutboxBacklog(DatabaseClient db, MeterRegistry meters) {
        super(db, meters,
                new Gauges("hookrelay.outbox.rows", "Accepted records in ingest.outbox not yet acknowledged by Kafka",
                        "hookrelay.outbox.oldest.age", "Age of the oldest record in ingest.outbox (0 when it is empty)"),
                "select count(*) as rows, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age"
                        + " from ingest.outbox");
    }
}
