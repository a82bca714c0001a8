package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** Message listing (filters, paging), get by eventId and content expunge. */
class MessageListIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Test
    void listsNewestFirstAndFiltersByEventTypeAndChannel() {
        String app = createApplication("msg-list");
        String paid = send(app, Map.of("eventType", "invoice.paid", "payload", Map.of("n", 1), "channels", List.of("eu")));
        String failed = send(app, Map.of("eventType", "invoice.failed", "payload", Map.of("n", 2)));
        String other = send(app, Map.of("eventType", "user.created", "payload", Map.of("n", 3), "channels", List.of("us")));

        assertThat(ids(app, "")).containsExactlyInAnyOrder(paid, failed, other);
        assertThat(ids(app, "")).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(ids(app, "event_types=invoice.paid&event_types=invoice.failed")).containsExactlyInAnyOrder(paid, failed);
        assertThat(ids(app, "event_types=invoice.paid,user.created")).containsExactlyInAnyOrder(paid, other);
        assertThat(ids(app, "channel=eu")).containsExactly(paid);
    }

    @Test
    void filtersByTimeAndPagesWithIterators() {
        String app = createApplication("msg-time");
        String old = send(app, Map.of("eventType", "a", "payload", Map.of()));
        db.sql("update ingest.message set created_at = created_at - interval '2 days' where id = :id")
                .bind("id", old).then().block();
        String recent = send(app, Map.of("eventType", "a", "payload", Map.of()));
        String dayAgo = Instant.now().minusSeconds(86_400).toString();

        assertThat(ids(app, "before=" + dayAgo)).containsExactly(old);
        assertThat(ids(app, "after=" + dayAgo)).containsExactly(recent);
        api.get().uri("/api/v1/app/{app}/msg?before={b}&after={a}", app, dayAgo, dayAgo).exchange()
                .expectStatus().isEqualTo(422);
        api.get().uri("/api/v1/app/{app}/msg?before=yesterday", app).exchange().expectStatus().isEqualTo(422);

        var first = page(app, "limit=1");
        var second = page(app, "limit=1&iterator=" + first.get("iterator"));
        assertThat(first.get("done")).isEqualTo(false);
        assertThat(ApplicationLifecycleIT.idsOf(second)).doesNotContainAnyElementsOf(ApplicationLifecycleIT.idsOf(first));
        assertThat(second.get("done")).isEqualTo(true);
    }

    @Test
    void leavesPayloadsOutWithoutContent() {
        String app = createApplication("msg-content");
        send(app, Map.of("eventType", "a", "payload", Map.of("secret", "x")));

        api.get().uri("/api/v1/app/{app}/msg?with_content=false", app).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data[0].payload.secret").doesNotExist();
    }

    @Test
    void getsAMessageByItsEventId() {
        String app = createApplication("msg-event-id");
        String id = send(app, Map.of("eventType", "a", "eventId", "evt-42", "payload", Map.of("v", 1)));

        api.get().uri("/api/v1/app/{app}/msg/evt-42", app).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(id);
    }

    @Test
    void expungeRemovesThePayloadButKeepsTheMessage() {
        String app = createApplication("msg-expunge");
        String id = send(app, Map.of("eventType", "a", "payload", Map.of("card", "4242")));

        api.delete().uri("/api/v1/app/{app}/msg/{id}/content", app, id).exchange().expectStatus().isNoContent();

        api.get().uri("/api/v1/app/{app}/msg/{id}", app, id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.payload.card").doesNotExist();
        assertThat(db.sql("select payload from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block()).doesNotContain("4242");
        api.delete().uri("/api/v1/app/{app}/msg/msg_missing/content", app).exchange().expectStatus().isNotFound();
    }

    private String send(String app, Map<String, Object> body) {
        return api.post().uri("/api/v1/app/{app}/msg", app).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private List<String> ids(String app, String query) {
        return ApplicationLifecycleIT.idsOf(page(app, query));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(String app, String query) {
        return api.get().uri("/api/v1/app/" + app + "/msg?" + query).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }
}
