package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** Bad input gets a clear 4xx in Svix's error shapes, never a 5xx. */
class BadInputIT extends IngestIntegrationTest {

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("app without name", "/api/v1/app", "{}", 422, "name"),
                Arguments.of("app with empty name", "/api/v1/app", "{\"name\":\"\"}", 422, "name"),
                Arguments.of("app with bad uid", "/api/v1/app", "{\"name\":\"a\",\"uid\":\"no spaces\"}", 422, "uid"),
                Arguments.of("app malformed json", "/api/v1/app", "{\"name\":", 400, null),
                Arguments.of("app body not an object", "/api/v1/app", "[1,2]", 400, null),
                Arguments.of("endpoint without url", "/api/v1/app/{app}/endpoint", "{}", 422, "url"),
                Arguments.of("endpoint ftp url", "/api/v1/app/{app}/endpoint", "{\"url\":\"ftp://example.com/x\"}", 422, "url"),
                Arguments.of("endpoint relative url", "/api/v1/app/{app}/endpoint", "{\"url\":\"/hooks\"}", 422, "url"),
                Arguments.of("endpoint url not a url", "/api/v1/app/{app}/endpoint", "{\"url\":\"http://exa mple.com\"}", 422, "url"),
                Arguments.of("endpoint url with credentials", "/api/v1/app/{app}/endpoint",
                        "{\"url\":\"https://user:pw@example.com/\"}", 422, "url"),
                Arguments.of("endpoint short secret", "/api/v1/app/{app}/endpoint",
                        "{\"url\":\"https://example.com\",\"secret\":\"whsec_abc\"}", 422, "secret"),
                Arguments.of("endpoint empty eventTypes", "/api/v1/app/{app}/endpoint",
                        "{\"url\":\"https://example.com\",\"eventTypes\":[]}", 422, "eventTypes"),
                Arguments.of("message without eventType", "/api/v1/app/{app}/msg", "{\"payload\":{}}", 422, "eventType"),
                Arguments.of("message without payload", "/api/v1/app/{app}/msg", "{\"eventType\":\"a.b\"}", 422, "payload"),
                Arguments.of("message payload not an object", "/api/v1/app/{app}/msg",
                        "{\"eventType\":\"a.b\",\"payload\":\"text\"}", 422, "payload"),
                Arguments.of("message bad eventType", "/api/v1/app/{app}/msg",
                        "{\"eventType\":\"a b\",\"payload\":{}}", 422, "eventType"),
                Arguments.of("message too many channels", "/api/v1/app/{app}/msg",
                        "{\"eventType\":\"a\",\"payload\":{},\"channels\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}", 422, "channels"),
                Arguments.of("message malformed json", "/api/v1/app/{app}/msg", "{\"eventType\":\"a\",", 400, null),
                Arguments.of("message wrong type", "/api/v1/app/{app}/msg", "{\"eventType\":{},\"payload\":{}}", 400, null));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("badRequests")
    void answersBadInputWithAClear4xx(String name, String path, String body, int status, String field) {
        String app = createApplication("bad-input");

        var response = api.post().uri(path, app)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(response).isNotBlank();
        if (status == 422) {
            assertThat(response).contains("\"loc\"").contains("\"" + field + "\"").contains("\"msg\"");
        } else {
            assertThat(response).contains("\"code\"").contains("\"detail\"");
        }
    }

    @Test
    void aPayloadTooDeepToListIsRefusedAndListingStillWorks() {
        String app = createApplication("deep");
        String acceptable = "{\"a\":".repeat(255) + "1" + "}".repeat(255);
        String tooDeep = "{\"a\":".repeat(497) + "1" + "}".repeat(497);

        post("/api/v1/app/{app}/msg", app, "{\"eventType\":\"deep\",\"payload\":" + acceptable + "}").expectStatus().isAccepted();
        post("/api/v1/app/{app}/msg", app, "{\"eventType\":\"deep\",\"payload\":" + tooDeep + "}")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("payload");

        api.get().uri("/api/v1/app/{app}/msg", app).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.length()").isEqualTo(1);
    }

    @Test
    void aNulCharacterIsTheClientsMistakeNotA500() {
        String app = createApplication("nul");

        post("/api/v1/app", null, "{\"name\":\"a\\u0000b\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_text");
        post("/api/v1/app", null, "{\"name\":\"a\",\"metadata\":{\"k\":\"\\u0000\"}}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_text");
        api.get().uri(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/app/" + app + "/endpoint?iterator=%00")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_text");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(String path, String app, String body) {
        return api.post().uri(path, app == null ? new Object[0] : new Object[] {app})
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    @Test
    void unknownApplicationIs404OnEveryOperation() {
        for (String path : new String[] {"/api/v1/app/app_missing/endpoint", "/api/v1/app/app_missing/msg"}) {
            String body = path.endsWith("msg") ? "{\"eventType\":\"a\",\"payload\":{}}" : "{\"url\":\"https://example.com\"}";
            api.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.code").isEqualTo("not_found");
        }
        api.get().uri("/api/v1/app/app_missing").exchange().expectStatus().isNotFound();
        api.get().uri("/api/v1/app/app_missing/endpoint/ep_missing/secret").exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownEndpointIs404() {
        String app = createApplication("no endpoint");

        api.get().uri("/api/v1/app/{app}/endpoint/ep_missing/secret", app).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Endpoint not found");
    }

    @Test
    void tooLargeMessageIs413() {
        String app = createApplication("large");
        String big = "x".repeat(70 * 1024);

        api.post().uri("/api/v1/app/{app}/msg", app)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"eventType\":\"a\",\"payload\":{\"big\":\"" + big + "\"}}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
    }

    @Test
    void wrongMethodAndUnknownPathAreClear4xx() {
        api.method(HttpMethod.DELETE).uri("/api/v1/app").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.code").isEqualTo("method_not_allowed");
        api.get().uri("/api/v1/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void unsupportedContentTypeIs415() {
        String app = createApplication("content type");

        api.post().uri("/api/v1/app/{app}/msg", app)
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("eventType=a")
                .exchange()
                .expectStatus().isEqualTo(415);
    }
}
