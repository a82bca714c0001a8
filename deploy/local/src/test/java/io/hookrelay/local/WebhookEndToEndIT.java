package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.exceptions.ApiException;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointHeadersIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointPatch;
import com.svix.models.MessageIn;
import com.svix.models.MessageStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole platform (real PostgreSQL, real Kafka, the three services as their own processes)
 * driven through the gateway with the official Svix Java SDK; the received webhook is verified
 * with the reference Standard Webhooks library.
 */
@ExtendWith(SharedPlatform.Extension.class)
class WebhookEndToEndIT {

    static final String TOKEN = SharedPlatform.ADMIN_TOKEN;
    static final Path REPOSITORY = SharedPlatform.REPOSITORY;

    static Receiver receiver;
    static String gateway;
    static Svix svix;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void connect(SharedPlatform platform) {
        receiver = new Receiver();
        gateway = platform.gateway();
        var options = new SvixOptions();
        options.setServerUrl(gateway);
        svix = new Svix(TOKEN, options);
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aMessagePostedThroughTheGatewayArrivesSignedAndItsAttemptIsListed() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("End to end"));
        var endpoint = svix.getEndpoint().create(app.getId(),
                new EndpointIn().url(URI.create(receiver.url())).filterTypes(Set.of("invoice.paid")));
        String secret = svix.getEndpoint().getSecret(app.getId(), endpoint.getId()).getKey();

        var message = svix.getMessage().create(app.getId(),
                new MessageIn().eventType("invoice.paid").payload("{\"invoice\":\"in_42\",\"amount\":4200}"));

        assertThat(message.getId()).startsWith("msg_");
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received.isEmpty());
        var webhook = receiver.received.getFirst();
        assertThat(webhook.body()).isEqualTo("{\"invoice\":\"in_42\",\"amount\":4200}");
        new Webhook(secret).verify(webhook.body(), webhook.headers());
        var attempts = await().atMost(Duration.ofSeconds(30))
                .until(() -> svix.getMessageAttempt().listByMsg(app.getId(), message.getId()).getData(),
                        list -> !list.isEmpty());
        var attempt = attempts.getFirst();
        assertThat(attempt.getResponseStatusCode().intValue()).isEqualTo(204);
        assertThat(attempt.getStatus()).isEqualTo(MessageStatus.SUCCESS);
        assertThat(attempt.getUrl()).hasToString(receiver.url());
        assertThat(attempt.getEndpointId()).isEqualTo(endpoint.getId());
        assertThat(attempt.getResponseDurationMs()).isNotNull().isNotNegative();
        assertThat(attempt.getTimestamp()).isNotNull();
    }

    @Test
    void anEndpointPatchedThroughTheGatewayGetsTheVeryNextMessageAtItsNewUrl() throws Exception {
        try (var before = new Receiver(); var after = new Receiver()) {
            var app = svix.getApplication().create(new ApplicationIn().name("Moving endpoint"));
            var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(before.url())));
            var first = svix.getMessage().create(app.getId(), new MessageIn().eventType("move.first").payload("{}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> receivedIds(before).contains(first.getId()));

            svix.getEndpoint().patch(app.getId(), endpoint.getId(), new EndpointPatch().url(URI.create(after.url())));
            var next = svix.getMessage().create(app.getId(), new MessageIn().eventType("move.next").payload("{}"));

            await().atMost(Duration.ofSeconds(30)).until(() -> receivedIds(after).contains(next.getId()));
            assertThat(receivedIds(before)).doesNotContain(next.getId());
        }
    }

    @Test
    void customHeadersSetThroughTheGatewayArriveWithTheWebhookAndAreAnsweredWithoutSensitiveValues() throws Exception {
        try (var own = new Receiver()) {
            var app = svix.getApplication().create(new ApplicationIn().name("Custom headers"));
            var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(own.url())));
            svix.getEndpoint().updateHeaders(app.getId(), endpoint.getId(), new EndpointHeadersIn()
                    .headers(java.util.Map.of("Authorization", "Bearer receiver-e2e-token", "X-Tenant", "acme")));

            var message = svix.getMessage().create(app.getId(), new MessageIn().eventType("headers.sent").payload("{}"));

            await().atMost(Duration.ofSeconds(30)).until(() -> receivedIds(own).contains(message.getId()));
            var headers = own.received.getFirst().headers();
            assertThat(value(headers, "authorization")).isEqualTo("Bearer receiver-e2e-token");
            assertThat(value(headers, "x-tenant")).isEqualTo("acme");
            var answered = svix.getEndpoint().getHeaders(app.getId(), endpoint.getId());
            assertThat(answered.getHeaders()).containsEntry("X-Tenant", "acme").doesNotContainKey("Authorization");
            assertThat(answered.getSensitive()).containsExactly("Authorization");
        }
    }

    private static String value(java.util.Map<String, java.util.List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(header -> header.getValue().getFirst())
                .findFirst()
                .orElse(null);
    }

    private static java.util.List<String> receivedIds(Receiver receiver) {
        return receiver.received.stream()
                .flatMap(webhook -> webhook.headers().entrySet().stream()
                        .filter(header -> header.getKey().equalsIgnoreCase("webhook-id"))
                        .flatMap(header -> header.getValue().stream()))
                .toList();
    }

    @Test
    void theSdkSeesUnknownApplicationsAs404() {
        assertThatThrownBy(() -> svix.getApplication().get("app_does_not_exist"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void healthIsUpWithEveryPart() throws Exception {
        var response = send("GET", "/api/v1/health/", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"ingest-service\":\"UP\"").contains("\"delivery-service\":\"UP\"");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("no token", "GET", "/api/v1/app", null, null, 401),
                Arguments.of("wrong token", "GET", "/api/v1/app", "nope", null, 401),
                Arguments.of("app without name", "POST", "/api/v1/app", TOKEN, "{}", 422),
                Arguments.of("malformed json", "POST", "/api/v1/app", TOKEN, "{\"name\":", 400),
                Arguments.of("endpoint with bad url", "POST", "/api/v1/app/{app}/endpoint", TOKEN, "{\"url\":\"not a url\"}", 422),
                Arguments.of("endpoint of unknown app", "POST", "/api/v1/app/app_missing/endpoint", TOKEN,
                        "{\"url\":\"https://example.com\"}", 404),
                Arguments.of("message without payload", "POST", "/api/v1/app/{app}/msg", TOKEN, "{\"eventType\":\"a\"}", 422),
                Arguments.of("message of unknown app", "POST", "/api/v1/app/app_missing/msg", TOKEN,
                        "{\"eventType\":\"a\",\"payload\":{}}", 404),
                Arguments.of("attempts of unknown app", "GET", "/api/v1/app/app_missing/attempt/msg/msg_x", TOKEN, null, 404),
                Arguments.of("unknown path", "GET", "/api/v1/nothing", TOKEN, null, 404));
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("badRequests")
    void badInputThroughTheGatewayGetsAClear4xx(String name, String method, String path, String token, String body,
            int status) throws Exception {
        String app = svix.getApplication().create(new ApplicationIn().name("bad input")).getId();

        var response = send(method, path.replace("{app}", app), token, body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("detail");
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
