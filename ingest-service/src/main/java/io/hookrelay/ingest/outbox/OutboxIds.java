package io.hookrelay.ingest.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Ids for outbox rows, drawn from the table's own sequence ahead of use, a block at a time: a
 * statement that commits its rows by itself, outside any transaction of ours, can then reserve
 * them for the in-memory path before they become visible to a poll (ADR 0033). One round trip per
 * {@link #BLOCK} rows; ids drawn and never used are gaps, as after any rolled-back insert.
 */
@Component
class OutboxIds {

    static final int BLOCK = 1000;

    private final DatabaseClient db;
    private final ArrayDeque<Long> drawn = new ArrayDeque<>(BLOCK);

    OutboxIds(DatabaseClient db) {
        this.db = db;
    }

    Mono<List<Long>> take(int count) {
        List<Long> taken = takeDrawn(count);
        if (taken != null) {
            return Mono.just(taken);
        }
        return db.sql("select nextval('ingest.outbox_id_seq') from generate_series(1, :count)")
                .bind("count", Math.max(BLOCK, count))
                .map(row -> row.get(0, Long.class))
                .all()
                .collectList()
                .flatMap(fresh -> {
                    synchronized (drawn) {
                        drawn.addAll(fresh);
                    }
                    return take(count); // concurrent takers may have had some: draw again
                });
    }

    private List<Long> takeDrawn(int count) {
        synchronized (drawn) {
            if (drawn.size() < count) {
                return null;
            }
            var taken = new ArrayList<Long>(count);
            for (int i = 0; i < count; i++) {
                taken.add(drawn.poll());
            }
            return taken;
        }
    }
}
