package io.hookrelay.ingest.secrets;

import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.StoredFields;
import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brings every stored endpoint credential (secret, previous secret, custom headers) to the
 * current format and primary key: values in plain text, of the first format ({@code enc:v1:}) or
 * under an older key are sealed again, bound to their row and column. Values already current
 * are left as they are, so a second run changes nothing; every value is opened, so the report
 * also names the endpoints whose values cannot be used.
 *
 * <p>Safe beside serving replicas: rows are read in batches by id and each row is written only if
 * its three values are still the ones read (an API write meanwhile already sealed with the
 * primary key; the row is counted as changed and a re-run looks at it again). The write changes
 * no visible field; the row's change notification makes delivery-service read it again.
 *
 * <p>This is the one reader that accepts plain values, which is why it is a command an operator
 * runs and not something the services do on their own: run whenever a plain value appears, it
 * would seal a value slipped into the table just as well as an old one of ours.
 */
@Component
public class Reencryption {

    private static final Logger log = LoggerFactory.getLogger(Reencryption.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final int BATCH = 500;

    private final DatabaseClient db;
    private final SecretCipher secrets;
    private final JsonMapper json;

    public Reencryption(DatabaseClient db, SecretCipher secrets, JsonMapper json) {
        this.db = db;
        this.secrets = secrets;
        this.json = json;
    }

    /** What one run did. */
    public record Report(long endpoints, long rewritten, long alreadyCurrent, long changedMeanwhile, List<String> failures) {

        public boolean complete() {
            return failures.isEmpty() && changedMeanwhile == 0;
        }
    }

    public Mono<Report> run() {
        if (!secrets.encrypts()) {
            return Mono.error(new IllegalStateException("No hookrelay.secrets key is configured: nothing to encrypt with"));
        }
        var tally = new Tally();
        return batchAfter("", tally)
                .expand(last -> last.isEmpty() ? Mono.empty() : batchAfter(last, tally))
                .then(Mono.fromSupplier(tally::report));
    }

    /** One batch of rows after {@code afterId}; emits the last id seen, or "" when there were none. */
    private Mono<String> batchAfter(String afterId, Tally tally) {
        return db.sql("select id, secret, previous_secret, headers from ingest.endpoint where id > :after"
                        + " order by id limit " + BATCH)
                .bind("after", afterId)
                .map(Reencryption::stored)
                .all()
                .concatMap(row -> reseal(row, tally).thenReturn(row.id()))
                .last("");
    }

    private static Stored stored(Readable row) {
        return new Stored(row.get("id", String.class), row.get("secret", String.class),
                row.get("previous_secret", String.class), row.get("headers", String.class));
    }

    private Mono<Void> reseal(Stored row, Tally tally) {
        tally.endpoints++;
        Stored sealed;
        try {
            sealed = new Stored(row.id(),
                    resealed(row.secret(), StoredFields.endpointSecret(row.id()), Reencryption::checkSecret),
                    resealed(row.previousSecret(), StoredFields.endpointPreviousSecret(row.id()), Reencryption::checkSecret),
                    resealed(row.headers(), StoredFields.endpointHeaders(row.id()), this::checkHeaders));
        } catch (RuntimeException e) {
            String failure = "endpoint " + row.id() + ": " + e.getMessage();
            log.error("Not re-encrypted: {}", failure);
            tally.failures.add(failure);
            return Mono.empty();
        }
        if (sealed.equals(row)) {
            tally.alreadyCurrent++;
            return Mono.empty();
        }
        return db.sql("update ingest.endpoint set secret = :secret, previous_secret = :previous, headers = :headers"
                        + " where id = :id and secret = :oldSecret and previous_secret is not distinct from :oldPrevious"
                        + " and headers is not distinct from :oldHeaders")
                .bind("id", row.id())
                .bind("secret", sealed.secret())
                .bind("previous", Parameter.fromOrEmpty(sealed.previousSecret(), String.class))
                .bind("headers", Parameter.fromOrEmpty(sealed.headers(), String.class))
                .bind("oldSecret", row.secret())
                .bind("oldPrevious", Parameter.fromOrEmpty(row.previousSecret(), String.class))
                .bind("oldHeaders", Parameter.fromOrEmpty(row.headers(), String.class))
                .fetch()
                .rowsUpdated()
                .doOnNext(updated -> {
                    if (updated == 1) {
                        tally.rewritten++;
                    } else {
                        tally.changedMeanwhile++;
                    }
                })
                .then();
    }

    /**
     * The stored value sealed with the primary key, or the value itself when it already is. Either
     * way it is opened and checked, so the report also names current values that are unusable
     * (bound to another row, altered).
     */
    private String resealed(String stored, String context, PlainCheck check) {
        if (stored == null) {
            return null;
        }
        String again = secrets.reseal(stored, context);
        String result = again == null ? stored : again;
        check.accept(secrets.open(result, context));
        return result;
    }

    /** A plain value is sealed only if it is what the column holds: one that could not be used stays out. */
    private interface PlainCheck {
        void accept(String plain);
    }

    private static void checkSecret(String plain) {
        WebhookSecret.parse(plain);
    }

    private void checkHeaders(String plain) {
        try {
            json.readValue(plain, STRING_MAP);
        } catch (RuntimeException e) {
            throw new IllegalStateException("headers are not a JSON object of strings");
        }
    }

    private record Stored(String id, String secret, String previousSecret, String headers) {}

    private static final class Tally {
        long endpoints;
        long rewritten;
        long alreadyCurrent;
        long changedMeanwhile;
        final List<String> failures = new ArrayList<>();

        Report report() {
            return new Report(endpoints, rewritten, alreadyCurrent, changedMeanwhile, List.copyOf(failures));
        }
    }
}
