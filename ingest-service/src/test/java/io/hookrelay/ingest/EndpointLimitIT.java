package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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

    @Test
    void parallelCreationsRacingForTheLastPlaceLetExactlyOneThrough() throws Exception {
        String app = createApplication("ep-limit-race");
        createEndpoints(app, LIMIT - 1);
        String other = createApplication("ep-limit-race-other");
        var start = new CountDownLatch(1);
        List<Future<HttpStatusCode>> answers = new ArrayList<>();

        try (ExecutorService racers = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                String url = "https://example.com/race/" + i;
                answers.add(racers.submit(() -> {
                    start.await();
                    return api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", url))
                            .exchange().returnResult(Void.class).getStatus();
                }));
            }
            start.countDown();
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
