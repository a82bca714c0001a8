package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Concurrent accepts share transactions (ADR 0012), and each request still gets its own answer:
 * its own message, the original for a repeated eventId or idempotency-key, its own error.
 */
class GroupCommitIT extends IngestIntegrationTest {

    static final int CONCURRENT = 48;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ConnectionFactory connectionFactory;

    record Answer(int status, Map<String, Object> body, String replayed) {}

    WebClient concurrentClient() {
        return WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                .defaultHeader("X-HookRelay-Scope", "org")
                .build();
    }

    /** Sends all requests at once; the answers in the requests' order. */
    @SuppressWarnings("unchecked")
    List<Answer> postAllAtOnce(String app, List<Map<String, Object>> bodies, List<String> keys) {
        WebClient client = concurrentClient();
        return Flux.range(0, bodies.size())
                .flatMapSequential(i -> client.post().uri("/api/v1/app/{app}/msg", app)
                        .headers(headers -> {
                            if (keys != null) {
                                headers.set("idempotency-key", keys.get(i));
                            }
                        })
                        .bodyValue(bodies.get(i))
                        .exchangeToMono(response -> response.bodyToMono(Map.class)
                                .defaultIfEmpty(Map.of())
                                .map(body -> new Answer(response.statusCode().value(), (Map<String, Object>) body,
                                        response.headers().asHttpHeaders().getFirst("idempotent-replayed")))),
                        bodies.size())
                .collectList()
                .block();
    }

    /** Quotes, backslashes, braces, commas, non-ASCII and an escaped control character. */
    static final String TRICKY = "say \"hi\", {C:\\dir} é ✓ \u001e end";
    /** {@link #TRICKY} as Jackson writes it. */
    static final String TRICKY_JSON = "say \\\"hi\\\", {C:\\\\dir} é ✓ \\u001E end";

    static Map<String, Object> payload(int i) {
        var payload = new java.util.LinkedHashMap<String, Object>();
        payload.put("n", i);
        if (i % 3 == 0) {
            payload.put("text", TRICKY);
        }
        return payload;
    }

    /** Every other message with an eventId: the batches go through the transaction of statements per table. */
    @Test
    void concurrentAcceptsEachGetTheirOwnMessage() {
        acceptConcurrentlyAndCheckEachMessage("group-commit", true);
    }

    /** No eventIds: each batch is one statement (ADR 0033). */
    @Test
    void concurrentAcceptsWithoutEventIdsEachGetTheirOwnMessageFromOneStatementPerBatch() {
        acceptConcurrentlyAndCheckEachMessage("group-commit-statement", false);
    }

    /**
     * Every other message with channels, so the batches carry nulls and values; every third payload
     * with what an array literal or a separator could trip over.
     */
    private void acceptConcurrentlyAndCheckEachMessage(String name, boolean eventIds) {
        String app = createApplication(name);
        List<Map<String, Object>> bodies = Flux.range(0, CONCURRENT)
                .map(i -> {
                    var body = new java.util.LinkedHashMap<String, Object>(Map.of("eventType", "order.paid", "payload", payload(i)));
                    if (i % 2 == 1) {
                        body.put("channels", List.of("eu", "team-" + i));
                        if (eventIds) {
                            body.put("eventId", "evt-" + app + "-" + i);
                        }
                    }
                    return (Map<String, Object>) body;
                })
                .collectList().block();
        double fallbacksBefore = fallbacks("message-accept");
        double itemsBefore = items("message-accept");
        long batchesBefore = batches("message-accept");

        List<Answer> answers = postAllAtOnce(app, bodies, null);

        assertThat(answers).extracting(Answer::status).containsOnly(202);
        for (int i = 0; i < CONCURRENT; i++) {
            assertThat(answers.get(i).body().get("payload")).isEqualTo(payload(i));
            String id = answers.get(i).body().get("id").toString();
            assertThat(storedPayload(id)).isEqualTo(i % 3 == 0
                    ? "{\"n\":" + i + ",\"text\":\"" + TRICKY_JSON + "\"}"
                    : "{\"n\":" + i + "}");
            assertThat(storedChannels(id)).isEqualTo(i % 2 == 0 ? "none" : "{eu,team-" + i + "}");
        }
        assertThat(answers).extracting(answer -> answer.body().get("id")).doesNotHaveDuplicates();
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(CONCURRENT);
        assertThat(count("select count(*) from ingest.message_event_id where app_id = :v", app))
                .isEqualTo(eventIds ? CONCURRENT / 2 : 0);
        // They did share commits: fewer batches than messages, and no batch failed over to
        // one-by-one (which would hide a broken batch statement behind right answers).
        assertThat(items("message-accept") - itemsBefore).isEqualTo(CONCURRENT);
        assertThat(batches("message-accept") - batchesBefore).isLessThan(CONCURRENT);
        assertThat(fallbacks("message-accept")).isEqualTo(fallbacksBefore);
    }

    /**
     * U+FFFD is also what malformed UTF-8 decodes to, and a batch statement refuses malformed text:
     * a payload that really holds one is stored in its batch, with its idempotency key, like any
     * other (it once failed its request: the key's recorded answer could not be joined).
     */
    @Test
    void aPayloadHoldingAReplacementCharacterIsStoredInItsBatchAndItsKeyReplays() {
        String app = createApplication("group-commit-replacement");
        List<Map<String, Object>> bodies = Flux.range(0, CONCURRENT)
                .map(i -> Map.<String, Object>of("eventType", "order.paid",
                        "payload", i == 1 ? Map.of("name", "M\uFFFDller") : Map.of("n", i)))
                .collectList().block();
        List<String> keys = Flux.range(0, CONCURRENT).map(i -> "key-" + app + "-" + i).collectList().block();
        double fallbacksBefore = fallbacks("message-accept");
        long batchesBefore = batches("message-accept");

        List<Answer> answers = postAllAtOnce(app, bodies, keys);

        assertThat(answers).extracting(Answer::status).containsOnly(202);
        assertThat(storedPayload(answers.get(1).body().get("id").toString())).isEqualTo("{\"name\":\"M\uFFFDller\"}");
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(CONCURRENT);
        assertThat(batches("message-accept") - batchesBefore).isLessThan(CONCURRENT);
        assertThat(fallbacks("message-accept")).isEqualTo(fallbacksBefore);
        Answer retry = postAllAtOnce(app, List.of(bodies.get(1)), List.of(keys.get(1))).getFirst();
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.replayed()).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(answers.get(1).body());
    }

    @Test
    void concurrentAcceptsFindTheirApplicationByIdOrUidWithAnIdWinningOverAnEqualUid() {
        String first = createApplication("lookup-first");
        // a second application whose uid is the first one's id: naming that value means the first
        String second = api.post().uri("/api/v1/app").bodyValue(Map.of("name", "lookup-second", "uid", first))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        String thirdUid = "uid-" + UUID.randomUUID();
        String third = api.post().uri("/api/v1/app").bodyValue(Map.of("name", "lookup-third", "uid", thirdUid))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        double fallbacksBefore = fallbacks("application-lookup");
        List<String> refs = Flux.range(0, CONCURRENT)
                .map(i -> switch (i % 4) {
                    case 0 -> first;
                    case 1 -> second;
                    case 2 -> thirdUid;
                    default -> "app-that-does-not-exist";
                })
                .collectList().block();
        WebClient client = concurrentClient();

        List<Integer> statuses = Flux.range(0, CONCURRENT)
                .flatMapSequential(i -> client.post().uri("/api/v1/app/{app}/msg", refs.get(i))
                        .bodyValue(Map.of("eventType", "order.paid", "payload", Map.of("n", i)))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())),
                        CONCURRENT)
                .collectList().block();

        for (int i = 0; i < CONCURRENT; i++) {
            assertThat(statuses.get(i)).as("message %d to %s", i, refs.get(i)).isEqualTo(i % 4 == 3 ? 404 : 202);
        }
        assertThat(count("select count(*) from ingest.message where app_id = :v", first)).isEqualTo(CONCURRENT / 4);
        assertThat(count("select count(*) from ingest.message where app_id = :v", second)).isEqualTo(CONCURRENT / 4);
        assertThat(count("select count(*) from ingest.message where app_id = :v", third)).isEqualTo(CONCURRENT / 4);
        assertThat(meters.get("hookrelay.group-commit.size").tag("name", "application-lookup").summary().max())
                .isGreaterThan(1);
        assertThat(fallbacks("application-lookup")).isEqualTo(fallbacksBefore);
    }

    @Test
    void anEventIdRepeatedWithinABatchStoresOneMessageAndTheOthersAreAnsweredAsBefore() {
        String app = createApplication("group-commit-event-id");
        String eventId = "evt-" + UUID.randomUUID();
        List<Map<String, Object>> bodies = Flux.range(0, CONCURRENT)
                .map(i -> i % 8 == 0
                        ? Map.<String, Object>of("eventType", "order.paid", "eventId", eventId, "payload", Map.of("n", i))
                        : Map.<String, Object>of("eventType", "order.paid", "payload", Map.of("n", i)))
                .collectList().block();

        List<Answer> answers = postAllAtOnce(app, bodies, null);

        assertThat(answers).extracting(Answer::status).containsOnly(202);
        List<Object> repeatedIds = Flux.range(0, CONCURRENT).filter(i -> i % 8 == 0)
                .map(i -> answers.get(i).body().get("id")).collectList().block();
        assertThat(repeatedIds).containsOnly(repeatedIds.getFirst());
        assertThat(count("select count(*) from ingest.message where app_id = :v", app))
                .isEqualTo(CONCURRENT - CONCURRENT / 8 + 1);
        for (int i = 0; i < CONCURRENT; i++) {
            if (i % 8 != 0) {
                assertThat(answers.get(i).body().get("payload")).isEqualTo(Map.of("n", i));
            }
        }
    }

    @Test
    void anInvalidMessageAmongConcurrentOnesIsRefusedAloneAndTheOthersAreAccepted() {
        String app = createApplication("group-commit-invalid");
        List<Map<String, Object>> bodies = Flux.range(0, CONCURRENT)
                .map(i -> i == 7
                        ? Map.<String, Object>of("eventType", "order.paid", "payload", Map.of("big", "x".repeat(RECORD_LIMIT)))
                        : Map.<String, Object>of("eventType", "order.paid", "payload", Map.of("n", i)))
                .collectList().block();

        List<Answer> answers = postAllAtOnce(app, bodies, null);

        assertThat(answers.get(7).status()).isEqualTo(413);
        for (int i = 0; i < CONCURRENT; i++) {
            if (i != 7) {
                assertThat(answers.get(i).status()).isEqualTo(202);
                assertThat(answers.get(i).body().get("payload")).isEqualTo(Map.of("n", i));
            }
        }
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(CONCURRENT - 1);
    }

    @Test
    void idempotentRetriesInsideABatchGetTheFirstAnswerAndStoreNothingNew() {
        String app = createApplication("group-commit-idempotency");
        int distinct = CONCURRENT / 2;
        List<String> keys = Flux.range(0, CONCURRENT).map(i -> "key-" + app + "-" + (i % distinct)).collectList().block();
        List<Map<String, Object>> bodies = Flux.range(0, CONCURRENT)
                .map(i -> Map.<String, Object>of("eventType", "order.paid", "payload", Map.of("n", i % distinct)))
                .collectList().block();

        double acceptFallbacks = fallbacks("message-accept");
        double claimed = items("idempotency-claim");
        double recorded = items("idempotency-record");

        List<Answer> answers = postAllAtOnce(app, bodies, keys);

        assertThat(answers).extracting(Answer::status).containsOnly(202);
        assertThat(fallbacks("message-accept")).isEqualTo(acceptFallbacks);
        // the keys were claimed, and the answers recorded, in the messages' own transactions (ADR 0029)
        assertThat(items("idempotency-claim")).isEqualTo(claimed);
        assertThat(items("idempotency-record")).isEqualTo(recorded);
        for (int i = 0; i < distinct; i++) {
            assertThat(answers.get(i + distinct).body()).isEqualTo(answers.get(i).body());
            assertThat(List.of(String.valueOf(answers.get(i).replayed()), String.valueOf(answers.get(i + distinct).replayed())))
                    .as("exactly one of the two is the replay").containsExactlyInAnyOrder("null", "true");
        }
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(distinct);
        // And a retry after the batches, one by one, gets the same answer again.
        Answer later = postAllAtOnce(app, List.of(bodies.getFirst()), List.of(keys.getFirst())).getFirst();
        assertThat(later.body()).isEqualTo(answers.getFirst().body());
        assertThat(later.replayed()).isEqualTo("true");
    }

    /**
     * With the database stalled, the requests still queued for a batch are refused at once (503,
     * nothing stored); the two already inside the database are answered by the accept deadline
     * (ADR 0021) with a 503 that says they may have been accepted — and they are, once the
     * database moves on: the deadline answers, it does not cancel.
     */
    @Test
    void withTheDatabaseStalledEveryAcceptIsAnsweredFastAndSaysWhetherItWasStored() {
        String app = createApplication("group-commit-stalled");
        Connection locker = Mono.from(connectionFactory.create()).block();
        var answers = new CopyOnWriteArrayList<Answer>();
        int sent = 5;
        try {
            // holds every insert into ingest.message: the first batches hang, the rest must not
            Mono.from(locker.beginTransaction()).block();
            Flux.from(locker.createStatement("lock table ingest.message in access exclusive mode").execute())
                    .flatMap(Result::getRowsUpdated).blockLast();
            WebClient client = concurrentClient();
            // two batches fill max-in-flight and hang on the lock; then three more requests queue
            for (int i = 0; i < sent; i++) {
                client.post().uri("/api/v1/app/{app}/msg", app)
                        .bodyValue(Map.of("eventType", "order.paid", "payload", Map.of("n", i)))
                        .exchangeToMono(response -> response.bodyToMono(Map.class).defaultIfEmpty(Map.of())
                                .map(body -> new Answer(response.statusCode().value(), body,
                                        response.headers().asHttpHeaders().getFirst("Retry-After"))))
                        .subscribe(answers::add);
                if (i < 2) {
                    int hanging = i + 1;
                    await().atMost(Duration.ofSeconds(15)).until(() -> insertsWaitingForALock() == hanging);
                }
            }

            // all answered while the database is still stalled
            await().atMost(Duration.ofSeconds(15)).until(() -> answers.size() == sent);
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.replayed()).as("Retry-After").isEqualTo("1");
                assertThat(answer.body()).containsEntry("code", "service_unavailable");
            });
            assertThat(answers).extracting(answer -> answer.body().get("detail").toString())
                    .filteredOn(detail -> detail.contains("nothing was stored")).hasSize(sent - 2);
            assertThat(answers).extracting(answer -> answer.body().get("detail").toString())
                    .filteredOn(detail -> detail.contains("may have been accepted")).hasSize(2);
        } finally {
            Mono.from(locker.rollbackTransaction()).block();
            Mono.from(locker.close()).block();
        }
        // the two the deadline answered finish, and nothing else was stored
        await().atMost(Duration.ofSeconds(15))
                .until(() -> count("select count(*) from ingest.message where app_id = :v", app) == 2);
    }

    /**
     * Sessions waiting for a lock on ingest.message (by the lock, not the statement's text, which
     * pg_stat_activity cuts at 1 kB: the one-statement accept names the table further on).
     */
    private long insertsWaitingForALock() {
        return db.sql("select count(distinct pid) from pg_locks where relation = 'ingest.message'::regclass and not granted")
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private String storedPayload(String id) {
        return db.sql("select payload from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block();
    }

    private String storedChannels(String id) {
        return db.sql("select coalesce(channels::text, 'none') from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block();
    }

    private double fallbacks(String name) {
        var counter = meters.find("hookrelay.group-commit.fallbacks").tag("name", name).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Batches (one item or more) the named group commit has run so far. */
    private long batches(String name) {
        var sizes = meters.find("hookrelay.group-commit.size").tag("name", name).summary();
        return sizes == null ? 0 : sizes.count();
    }

    /** Items the named group commit has carried so far. */
    private double items(String name) {
        var sizes = meters.find("hookrelay.group-commit.size").tag("name", name).summary();
        return sizes == null ? 0 : sizes.totalAmount();
    }

    private long count(String sql, String value) {
        return db.sql(sql).bind("v", value).map(row -> row.get(0, Long.class)).one().blockOptional().orElse(0L);
    }
}
