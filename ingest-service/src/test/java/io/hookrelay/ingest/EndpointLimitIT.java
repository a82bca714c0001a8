package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.SharedInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;

/** An application has at most 100 endpoints (the default of hookrelay.ingest.max-endpoints-per-application). */
class EndpointLimitIT extends IngestIntegrationTest {

    private static final int LIMIT = 100;

    @Test
    void theEndpointBeyondTheLimitIsRefusedWith422WhetherCreatedByPostOrByPut() {
        String app = createApplication("ep-limit");
        List<String> created = createEndpoints(app, LIMIT);

        api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", "https://example.com/one-more"))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.code").isEqualTo("endpoint_limit_reached")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("at most 100 endpoints").contains("max-endpoints-per-application"));
        api.put().uri("/api/v1/app/{app}/endpoint/by-put", app).bodyValue(Map.of("url", "https://example.com/put", "uid", "by-put"))
                .exchange().expectStatus().isEqualTo(422);
        api.put().uri("/api/v1/app/{app}/endpoint/{ep}", app, created.getFirst())
                .bodyValue(Map.of("url", "https://example.com/replaced"))
                .exchange().expectStatus().isOk(); // replacing an existing endpoint creates nothing
        assertThat(countEndpoints(app)).isEqualTo(LIMIT);

        api.delete().uri("/api/v1/app/{app}/endpoint/{ep}", app, created.getLast()).exchange().expectStatus().isNoContent();
        api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", "https://example.com/after-delete"))
                .exchange().expectStatus().isCreated();
    }

    /**
     * The test holds the application's row locked, as a creation in the middle of its transaction
     * would, while ten more creations arrive; then lets go. Without the lock in the creation, all
     * ten would have counted 99 and gone through.
     */
    @Test
    void parallelCreationsRacingForTheLastPlaceLetExactlyOneThrough() throws Exception {
        String app = createApplication("ep-limit-race");
        createEndpoints(app, LIMIT - 1);
        String other = createApplication("ep-limit-race-other");
        List<Future<HttpStatusCode>> answers = new ArrayList<>();
        var patient = api.mutate().responseTimeout(Duration.ofSeconds(60)).build();

        try (Connection holder = DriverManager.getConnection(
                        SharedInfrastructure.get().postgres().jdbcUrl(SharedInfrastructure.DATABASE), PostgresServer.USER, "");
                ExecutorService racers = Executors.newFixedThreadPool(10)) {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("select id from ingest.application where id = ? for update")) {
                lock.setString(1, app);
                lock.executeQuery().close();
            }
            for (int i = 0; i < 10; i++) {
                String url = "https://example.com/race/" + i;
                answers.add(racers.submit(() -> patient.post().uri("/api/v1/app/{app}/endpoint", app)
                        .bodyValue(Map.of("url", url)).exchange().returnResult(Void.class).getStatus()));
            }
            // Some creations queued behind the held row are enough to show they are serialised (without the
            // lock none would wait here at all); waiting for all ten made the test hang on a busy machine,
            // where a racer can still be acquiring its pooled connection when the others already wait.
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForLocks(holder) >= 2);
            holder.commit();
        }

        List<Integer> statuses = new ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get().value());
        }
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 422).hasSize(9);
        assertThat(countEndpoints(app)).isEqualTo(LIMIT);
        api.post().uri("/api/v1/app/{app}/endpoint", other).bodyValue(Map.of("url", "https://example.com/elsewhere"))
                .exchange().expectStatus().isCreated(); // the limit is per application
    }

    private static int waitingForLocks(Connection connection) throws SQLException {
        try (var query = connection.createStatement();
                var result = query.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
            result.next();
            return result.getInt(1);
        }
    }

    private List<String> createEndpoints(String app, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", "https://example.com/" + i))
                    .exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id").toString());
        }
        return ids;
    }

    private int countEndpoints(String app) {
        int count = 0;
        String iterator = null;
        while (true) {
            String uri = "/api/v1/app/" + app + "/endpoint?limit=250" + (iterator == null ? "" : "&iterator=" + iterator);
            Map<?, ?> page = api.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            count += ((List<?>) page.get("data")).size();
            if (Boolean.TRUE.equals(page.get("done"))) {
                return count;
            }
            iterator = (String) page.get("iterator");
        }
    }
}
