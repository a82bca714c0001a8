package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ingest-service's part of the API document, which the gateway merges into
 * {@code /api/v1/openapi.json}; its comparison with Svix's document is {@code OpenApiConformanceIT}.
 */
class OpenApiDocumentIT extends IngestIntegrationTest {

    @Test
    void servesItsDocumentWithSvixNamesToTheGateway() {
        byte[] body = api.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        JsonNode document = JsonMapper.shared().readTree(body);

        JsonNode list = document.at("/paths/~1api~1v1~1app~1{app_id}~1endpoint/get");
        assertThat(document.get("openapi").asString()).startsWith("3.0");
        assertThat(list.get("operationId").asString()).isEqualTo("v1.endpoint.list");
        assertThat(list.at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/ListResponse_EndpointOut_");
        assertThat(document.at("/paths/~1api~1v1~1app/post/parameters").findValuesAsString("name"))
                .contains("get_if_exists", "idempotency-key");
        assertThat(document.at("/components/schemas/ApplicationPatch/required").isMissingNode()).isTrue();
    }

    @Test
    void refusesTheDocumentWithoutTheGatewaysCredential() {
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/v3/api-docs").exchange()
                .expectStatus().isUnauthorized()
                .expectBody(Map.class).value(error -> assertThat(error).containsEntry("code", "authentication_failed"));
    }
}
