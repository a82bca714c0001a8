package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: "a full disk or a PostgreSQL that refuses writes gives clients 503s and loses nothing
 * already accepted", on the whole platform through the gateway. PostgreSQL made to refuse every
 * write ({@link #readOnly}: read-only by default, and the error of a read-only server, 25006, for
 * every write on the platform's tables), then the error a full disk gives (SQLSTATE 53100) raised
 * by the server for one event type's rows.
 */
@ExtendWith(SharedPlatform.Extension.class)
class DatabaseRefusesWritesIT {

    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static String gateway;
    static String jdbcUrl;
    static final Receiver receiver = new Receiver();

    @BeforeAll
    static void connect(SharedPlatform platform) {
        gateway = platform.gateway();
        jdbcUrl = platform.jdbcUrl();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aReadOnlyDatabaseGivesClients503sAndLosesNothingAccepted() throws Exception {
        String app = application("refuses-writes");
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            var answer = message(app, "{\"eventType\":\"before\",\"payload\":{\"n\":" + i + "}}", UUID.randomUUID().toString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            accepted.add(id(answer));
        }
        String key = UUID.randomUUID().toString();
        String during = "{\"eventType\":\"during\",\"payload\":{\"n\":1}}";
        List<HttpResponse<String>> refusedChanges = new ArrayList<>();
        HttpResponse<String> refusedMessage;
        HttpResponse<String> list;
        readOnly(true);
        try {
            // the accepts above are still on their way: in the outbox, on Kafka, owed by delivery
            refusedMessage = message(app, during, key);
            refusedChanges.add(send("POST", "/api/v1/app", "{\"name\":\"made-while-read-only\"}"));
            refusedChanges.add(send("POST", "/api/v1/app/" + app + "/endpoint", "{\"url\":\"" + receiver.url() + "/2\"}"));
            refusedChanges.add(send("PATCH", "/api/v1/app/" + app, "{\"name\":\"renamed\"}"));
            refusedChanges.add(send("POST", "/api/v1/auth/app-portal-access/" + app, "{}"));
            list = send("GET", "/api/v1/app/" + app + "/msg?limit=100", null);
            Thread.sleep(3_000); // delivery meets the refusal too, for a while
        } finally {
            readOnly(false);
        }

        assertThat(refusedMessage.statusCode()).as(refusedMessage.body()).isEqualTo(503);
        assertThat(refusedMessage.headers().firstValue("Retry-After")).isPresent();
        assertThat(json.readTree(refusedMessage.body()).path("detail").asText()).startsWith("The message was not accepted");
        for (var change : refusedChanges) {
            assertThat(change.statusCode()).as(change.request() + " " + change.body()).isEqualTo(503);
            assertThat(change.headers().firstValue("Retry-After")).as(change.request().toString()).isPresent();
        }
        assertThat(list.statusCode()).as("reads are still answered").isEqualTo(200);
        assertThat(json.readTree(list.body()).path("data")).hasSize(30);

        // the refused message was not accepted: its retry with the same key runs afresh
        var retried = message(app, during, key);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        assertThat(retried.headers().firstValue("idempotent-replayed")).isEmpty();
        accepted.add(id(retried));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(deliveredIds()).containsAll(accepted));
    }

    @Test
    void aFullDiskRefusingAMessageIsA503AndItsRetryIsAccepted() throws Exception {
        String app = application("disk-full");
        String uid = "disk-full-" + UUID.randomUUID();
        String plain = "{\"eventType\":\"disk.full\",\"payload\":{\"n\":1}}";
        String withEventId = "{\"eventType\":\"disk.full\",\"eventId\":\"evt-" + UUID.randomUUID() + "\",\"payload\":{\"n\":2}}";
        String withApplication = "{\"eventType\":\"disk.full\",\"payload\":{\"n\":3},\"application\":{\"name\":\"made\",\"uid\":\""
                + uid + "\"}}";
        Map<String, String> keys = Map.of(plain, UUID.randomUUID().toString(), withEventId, UUID.randomUUID().toString(),
                withApplication, UUID.randomUUID().toString());
        List<HttpResponse<String>> refused = new ArrayList<>();
        sql("create function ingest.disk_full_for_a_test() returns trigger language plpgsql as $$ begin"
                + " raise exception 'could not extend file \"base/16384/16385\": No space left on device'"
                + " using errcode = 'disk_full'; end $$");
        try {
            sql("create trigger disk_full_for_a_test before insert on ingest.message for each row"
                    + " when (new.event_type = 'disk.full') execute function ingest.disk_full_for_a_test()");
            refused.add(message(app, plain, keys.get(plain)));        // one statement (ADR 0033)
            refused.add(message(app, withEventId, keys.get(withEventId))); // the transaction, for an eventId
            refused.add(message(uid, withApplication, keys.get(withApplication))); // creates its application
            var other = message(app, "{\"eventType\":\"not.refused\",\"payload\":{}}", UUID.randomUUID().toString());
            assertThat(other.statusCode()).as("other rows still fit").isEqualTo(202);
        } finally {
            sql("drop trigger if exists disk_full_for_a_test on ingest.message");
            sql("drop function if exists ingest.disk_full_for_a_test()");
        }

        for (var answer : refused) {
            assertThat(answer.statusCode()).as(answer.request() + " " + answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(json.readTree(answer.body()).path("detail").asText()).startsWith("The message was not accepted");
        }
        assertThat(send("GET", "/api/v1/app/" + uid, null).statusCode())
                .as("the application the refused message would have created").isEqualTo(404);
        List<String> accepted = new ArrayList<>();
        for (String body : List.of(plain, withEventId)) {
            var retried = message(app, body, keys.get(body));
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
            assertThat(retried.headers().firstValue("idempotent-replayed")).isEmpty();
            accepted.add(id(retried));
        }
        assertThat(message(uid, withApplication, keys.get(withApplication)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deliveredIds()).containsAll(accepted));
    }

    /**
     * PostgreSQL read-only for every session: {@code default_transaction_read_only}, reloaded into
     * the open connections, as an operator makes a database read-only. A transaction that asks for
     * read-write explicitly (Spring's do) still may write then, where a standby would refuse it;
     * so every table of the platform also gets a trigger that refuses any write with the same
     * error (25006), as a standby does for every write.
     */
    private static void readOnly(boolean on) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute("set default_transaction_read_only = off"); // this session may always undo it
            if (on) {
                statement.execute("create or replace function public.refuse_writes_for_a_test() returns trigger"
                        + " language plpgsql as $$ begin raise exception 'cannot execute % in a read-only transaction', tg_op"
                        + " using errcode = 'read_only_sql_transaction'; end $$");
            }
            statement.execute("do $$ declare t record; begin for t in select schemaname, tablename from pg_tables"
                    + " where schemaname in ('gateway', 'ingest', 'delivery') loop execute "
                    + (on
                            ? "format('create trigger refuse_writes_for_a_test before insert or update or delete on %I.%I"
                                    + " for each statement execute function public.refuse_writes_for_a_test()', t.schemaname, t.tablename)"
                            : "format('drop trigger if exists refuse_writes_for_a_test on %I.%I', t.schemaname, t.tablename)")
                    + "; end loop; end $$");
            if (!on) {
                statement.execute("drop function if exists public.refuse_writes_for_a_test()");
            }
            statement.execute(on
                    ? "alter system set default_transaction_read_only = on"
                    : "alter system reset default_transaction_read_only");
            statement.execute("select pg_reload_conf()");
        }
        // every backend applies a reload before its next statement; give them a moment to see it
        Thread.sleep(500);
    }

    private static void sql(String statement) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                var execute = connection.createStatement()) {
            execute.execute(statement);
        }
    }

    private static Set<String> deliveredIds() {
        return receiver.received.stream()
                .map(webhook -> webhook.headers().entrySet().stream()
                        .filter(header -> header.getKey().equalsIgnoreCase("webhook-id"))
                        .map(header -> header.getValue().getFirst())
                        .findFirst()
                        .orElse(""))
                .collect(Collectors.toSet());
    }

    private static String application(String name) throws Exception {
        var app = send("POST", "/api/v1/app", "{\"name\":\"" + name + "\"}");
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        String id = json.readTree(app.body()).path("id").asText();
        var endpoint = send("POST", "/api/v1/app/" + id + "/endpoint", "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        return id;
    }

    private static HttpResponse<String> message(String app, String body, String key) throws Exception {
        return http.send(request("/api/v1/app/" + app + "/msg")
                        .header("idempotency-key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(request(path)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + SharedPlatform.ADMIN_TOKEN)
                .header("Content-Type", "application/json");
    }

    private static String id(HttpResponse<String> answer) throws Exception {
        JsonNode body = json.readTree(answer.body());
        return body.path("id").asText();
    }
}
