package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11's poison message, on the whole platform with its default limits (1 MB body at the
 * gateway and ingest, 1 MB records): the message that used to stop publishing for every tenant
 * is now delivered byte for byte; a message whose record would be too large is refused at accept
 * with the limit; and an unpublishable record already in the outbox (as one written by an older
 * version) is set aside while another application's message is delivered.
 */
@ExtendWith(SharedPlatform.Extension.class)
class PoisonMessageEndToEndIT {

    static final String ADMIN = SharedPlatform.ADMIN_TOKEN;
    static final int LIMIT = 1024 * 1024;
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static String gateway;
    static String jdbcUrl;
    static final Receiver first = new Receiver();
    static final Receiver second = new Receiver();

    @BeforeAll
    static void connect(SharedPlatform platform) {
        gateway = platform.gateway();
        jdbcUrl = platform.jdbcUrl();
    }

    @AfterAll
    static void stopReceivers() {
        first.close();
        second.close();
    }

    @Test
    void oneMessageCannotStopDeliveryForTheOthers() throws Exception {
        String appA = application("poison-a", first);
        String appB = application("poison-b", second);
        long parkedId = outboxRowAsAnOlderVersionWroteIt(appA);
        String issuePayload = "{\"a\":[" + "\"\",".repeat(330_000) + "\"\"]}";
        assertThat(issuePayload.length()).isBetween(990_000, 1_000_000);

        HttpResponse<String> issueMessage = post("/api/v1/app/" + appA + "/msg",
                "{\"eventType\":\"a\",\"payload\":" + issuePayload + "}");
        String atTheBodyLimit = "{\"eventType\":\"a\",\"payload\":{\"a\":\""
                + "x".repeat(LIMIT - "{\"eventType\":\"a\",\"payload\":{\"a\":\"\"}}".length()) + "\"}}";
        HttpResponse<String> tooLarge = post("/api/v1/app/" + appA + "/msg", atTheBodyLimit);
        HttpResponse<String> other = post("/api/v1/app/" + appB + "/msg",
                "{\"eventType\":\"b\",\"payload\":{\"still\":\"delivered\"}}");

        assertThat(issueMessage.statusCode()).isEqualTo(202);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json.readTree(tooLarge.body()).path("detail").asText()).contains("Kafka record").contains(LIMIT + " bytes");
        assertThat(other.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> second.received.size() == 1 && first.received.size() == 1);
        assertThat(second.received.getFirst().body()).isEqualTo("{\"still\":\"delivered\"}");
        assertThat(first.received.getFirst().body()).isEqualTo(issuePayload);
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedError(parkedId) != null);
        assertThat(parkedError(parkedId)).contains("RecordTooLargeException");
    }

    /** The issue's message as an older ingest-service wrote it: the payload escaped, 1.65 MB. */
    private static long outboxRowAsAnOlderVersionWroteIt(String appId) throws Exception {
        String escaped = ("{\"a\":[" + "\"\",".repeat(330_000) + "\"\"]}").replace("\"", "\\\"");
        String record = "{\"appId\":\"" + appId + "\",\"messageId\":\"msg_olderversion\",\"eventType\":\"a\","
                + "\"channels\":[],\"payload\":\"" + escaped + "\",\"timestamp\":\"2026-11-29T17:00:00Z\"}";
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                var insert = connection.prepareStatement("insert into ingest.outbox (topic, record_key, payload)"
                        + " values ('hookrelay.messages.v1', 'msg_olderversion', ?) returning id")) {
            insert.setBytes(1, record.getBytes(StandardCharsets.UTF_8));
            var rows = insert.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String parkedError(long id) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                var select = connection.prepareStatement("select error from ingest.outbox_parked where id = ?")) {
            select.setLong(1, id);
            var rows = select.executeQuery();
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static String application(String name, Receiver receiver) throws Exception {
        JsonNode app = json.readTree(post("/api/v1/app", "{\"name\":\"" + name + "\"}").body());
        String id = app.path("id").asText();
        assertThat(post("/api/v1/app/" + id + "/endpoint", "{\"url\":\"" + receiver.url() + "\"}").statusCode())
                .isEqualTo(201);
        return id;
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path))
                        .header("Authorization", "Bearer " + ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
