package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway of the real platform warms up through the real ingest-service before it opens its
 * port: ingest's validation refuses every warm-up request (the log line counts only 422s), so the
 * path they take is the one clients' messages take and nothing is stored, and the access log shows
 * none of them while it shows a client's request to the same path.
 */
@ExtendWith(SharedPlatform.Extension.class)
class GatewayWarmUpEndToEndIT {

    private static final String WARM_UP_PATH = "/api/v1/app/hookrelay-gateway-warm-up-";

    @Test
    void theGatewayWarmsUpThroughIngestWithoutLoggingItsRequests(SharedPlatform platform) throws Exception {
        assertThat(Files.readString(platform.log("api-gateway")))
                .contains("Warm-up: 1000 of 1000 requests through the gateway's path");

        var answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(platform.gateway() + WARM_UP_PATH + "client/msg"))
                        .header("Authorization", "Bearer " + SharedPlatform.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"\",\"payload\":{}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        Files.readAllLines(platform.log("api-gateway")).stream()
                                .filter(line -> line.contains("path=" + WARM_UP_PATH)))
                .as("the client's request and none of the warm-up's")
                .singleElement().asString().contains(WARM_UP_PATH + "client/msg"));
    }
}
