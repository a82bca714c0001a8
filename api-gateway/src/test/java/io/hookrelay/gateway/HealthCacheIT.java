package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The public health answer is computed once per period and shared: concurrent callers wait for one
 * computation, later callers in the period get its result, and the services (and the token
 * database) see one probe per period whatever the number of callers.
 */
class HealthCacheIT extends FrontDoorCostTest {

    @Test
    void concurrentHealthCallsShareOneProbeOfEachService() throws Exception {
        ingest.healthDelay = Duration.ofMillis(300); // every caller arrives while the probe is running
        Thread.sleep(HEALTH_CACHE_MILLIS + 200); // whatever an earlier test cached has expired

        List<Integer> statuses = healthCalls(40, "127.0.0.20");

        assertThat(statuses).containsOnly(200);
        assertThat(ingest.healthChecks.get()).isEqualTo(1);
        assertThat(delivery.healthChecks.get()).isEqualTo(1);
        assertThat(healthCalls(10, "127.0.0.21")).containsOnly(200);
        assertThat(ingest.healthChecks.get()).as("within the period, the same answer").isEqualTo(1);
    }

    @Test
    void aChangeShowsOnceThePeriodIsOver() {
        var client = from("127.0.0.22");
        assertThat(send(client, request("/api/v1/health/", null).build()).statusCode()).isIn(200, 503);

        delivery.health = "DOWN";

        await().atMost(Duration.ofMillis(HEALTH_CACHE_MILLIS * 3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            var answer = send(client, request("/api/v1/health/", null).build());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("\"delivery-service\":\"DOWN\"");
        });
        assertThat(delivery.healthChecks.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void pingAnswers204WithoutATokenAndWithoutAskingAnyone() {
        var client = from("127.0.0.23");

        var answer = send(client, request("/api/v1/health/ping", null).build());

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
        assertThat(ingest.healthChecks.get() + delivery.healthChecks.get() + ingest.requests.get() + delivery.requests.get())
                .isZero();
    }

    private List<Integer> healthCalls(int callers, String from) throws Exception {
        var client = from(from);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<CompletableFuture<Integer>>();
            for (int i = 0; i < callers; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> send(client, request("/api/v1/health/", null).build()).statusCode(), threads));
            }
            return answers.stream().map(CompletableFuture::join).toList();
        }
    }
}
