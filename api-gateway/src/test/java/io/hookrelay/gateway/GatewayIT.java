package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

/** Routing, identity headers, request ids, access log, security headers and CORS, over real HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class GatewayIT extends GatewayIntegrationTest {

    @Autowired
    ApplicationContext context;

    /** No collector configured (management.opentelemetry.tracing.export.otlp.endpoint): nothing to send spans anywhere. */
    @Test
    void hasNoSpanExporterWithoutACollector() {
        assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
        assertThat(context.getBeanNamesForType(io.micrometer.tracing.Tracer.class)).isNotEmpty();
    }

    @Test
    void logsEachRequestWithTheTokenIdButNeverTheToken(CapturedOutput output) {
        client.get().uri("/api/v1/app/app_log/msg?secret=query-data")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-Request-Id", "log-check-1")
                .exchange().expectStatus().isOk();
        client.get().uri("/api/v1/app").header("Authorization", "Bearer not-a-token-but-secret")
                .header("X-Request-Id", "log-check-2")
                .exchange().expectStatus().isUnauthorized();

        await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                .contains("method=GET path=/api/v1/app/app_log/msg route=ingest status=200")
                .containsPattern("status=200 ms=[0-9.]+ token=admin request_id=log-check-1")
                .contains("method=GET path=/api/v1/app route=gateway status=401")
                .containsPattern("token=- request_id=log-check-2"));
        assertThat(output.getOut()).doesNotContain(ADMIN_TOKEN).doesNotContain("not-a-token-but-secret")
                .doesNotContain("query-data");
    }

    @Test
    void routesAttemptsToDeliveryAndTheRestToIngest() {
        authorized("/api/v1/app/app_1/attempt/msg/msg_1").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/msg/msg_1/attempt/atmpt_1").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/msg").expectBody().jsonPath("$.service").isEqualTo("ingest");
        authorized("/api/v1/app/app_1/endpoint/ep_1/recover").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/stats").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/send-example").expectBody().jsonPath("$.service").isEqualTo("ingest");
        authorized("/api/v1/app/app_1/msg/msg_1/endpoint/ep_1/resend").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/secret").expectBody()
                .jsonPath("$.service").isEqualTo("ingest")
                .jsonPath("$.path").isEqualTo("/api/v1/app/app_1/endpoint/ep_1/secret");
    }

    @Test
    void requiresTheBearerToken() {
        client.get().uri("/api/v1/app").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.code").isEqualTo("authentication_failed");
        client.get().uri("/api/v1/app").header("Authorization", "Bearer wrong").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("Invalid token");
        client.get().uri("/api/v1/app").header("Authorization", "Basic " + ADMIN_TOKEN).exchange()
                .expectStatus().isUnauthorized();
        client.get().uri("/api/v1/app").header("Authorization", "Bearer appsk_NotARealTokenAtAll").exchange()
                .expectStatus().isUnauthorized();
        assertThat(ingest.requests.get()).isZero();
    }

    @Test
    void replacesInternalHeadersAClientTriesToSetAndSaysWhoIsCalling() {
        client.get().uri("/api/v1/app")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-HookRelay-Internal-Token", "forged")
                .header("x-hookrelay-principal", "admin")
                .header("X-HookRelay-Scope", "app:app_forged")
                .header("X-HookRelay-Token-Id", "tok_forged")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.internalToken").isEqualTo(INTERNAL_TOKEN)
                .jsonPath("$.forged").isEqualTo("null")
                .jsonPath("$.scope").isEqualTo("org")
                .jsonPath("$.tokenId").isEqualTo("admin");
    }

    /**
     * Written on a raw socket: an HTTP client library drops or rewrites some of these headers itself,
     * and the test must see what the gateway does with what a client really sent.
     */
    @Test
    void passesNoHopByHopForwardedOrClientTraceHeadersOnInEitherDirection() throws Exception {
        ingest.extraResponseHeaders = java.util.Map.of(
                "Connection", "X-Service-Private", "X-Service-Private", "internal",
                "Keep-Alive", "timeout=99", "X-Service-Kept", "kept");
        String response;
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "POST /api/v1/app HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 2\r\n"
                    + "Connection: keep-alive, X-Client-Private\r\n"
                    + "X-Client-Private: secret\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "Proxy-Connection: keep-alive\r\n"
                    + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                    + "TE: trailers\r\n"
                    + "Trailer: X-Checksum\r\n"
                    + "Forwarded: for=203.0.113.9;proto=https\r\n"
                    + "X-Forwarded-For: 203.0.113.9\r\n"
                    + "X-Forwarded-Host: attacker.invalid\r\n"
                    + "X-HookRelay-Scope: app:app_forged\r\n"
                    + "tracestate: vendor=client\r\n"
                    + "X-Custom-Header: kept\r\n"
                    + "Idempotency-Key: key-1\r\n"
                    + "\r\n{}";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            var head = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
            }
            response = head.toString();
        }
        assertThat(response).startsWith("http/1.1 200").contains("x-service-kept: kept")
                .doesNotContain("x-service-private").doesNotContain("timeout=99");

        var received = new java.util.HashMap<String, java.util.List<String>>();
        ingest.lastHeaders.forEach((name, values) -> received.put(name.toLowerCase(java.util.Locale.ROOT), values));
        assertThat(received).containsKeys("x-custom-header", "idempotency-key", "content-type", "content-length",
                "x-request-id", "traceparent", "x-hookrelay-internal-token");
        assertThat(received.get("x-hookrelay-scope")).containsExactly("org");
        assertThat(received).doesNotContainKeys("x-client-private", "keep-alive", "proxy-connection",
                "proxy-authorization", "te", "trailer", "forwarded", "x-forwarded-for", "x-forwarded-host",
                "tracestate", "authorization");
        assertThat(received.getOrDefault("connection", java.util.List.of()))
                .noneMatch(value -> value.toLowerCase(java.util.Locale.ROOT).contains("x-client-private"));
    }

    @Test
    void createsOrPropagatesRequestIdsAndTraceContext() {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var result = client.get().uri("/api/v1/app")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("traceparent", incoming)
                .header("X-Request-Id", "req-42")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", "req-42")
                .expectBody(java.util.Map.class).returnResult();
        String sent = (String) result.getResponseBody().get("traceparent");
        assertThat(sent).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01")
                .isNotEqualTo(incoming).isEqualTo(result.getResponseHeaders().getFirst("traceparent"));
        assertThat(result.getResponseBody().get("requestId")).isEqualTo("req-42");

        var fresh = client.get().uri("/api/v1/app")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")
                .header("X-Request-Id", "bad id\twith\"quotes")
                .exchange()
                .expectStatus().isOk()
                .expectBody(java.util.Map.class).returnResult();
        assertThat((String) fresh.getResponseBody().get("traceparent"))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
                .doesNotContain("00000000000000000000000000000000");
        assertThat((String) fresh.getResponseBody().get("requestId")).matches("[0-9a-f]{32}");
    }

    @Test
    void setsSecurityHeadersAndLeaksNoServerHeader() {
        for (var spec : java.util.List.of(
                authorized("/api/v1/app"),
                client.get().uri("/api/v1/app").exchange(),
                client.get().uri("/api/v1/health/").exchange())) {
            spec.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Cache-Control", "no-store")
                    .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                    .expectHeader().doesNotExist("Server")
                    .expectHeader().doesNotExist("Strict-Transport-Security");
        }
    }

    @Test
    void keepsMetricsOffThePublicPort() {
        for (String path : java.util.List.of("/actuator/prometheus", "/actuator/health", "/actuator/env")) {
            client.get().uri(path).exchange().expectStatus().isUnauthorized();
            get(path, ADMIN_TOKEN).expectStatus().isNotFound();
        }
    }

    @Test
    void answersCorsPreflightForConfiguredOriginsOnly() {
        client.options().uri("/api/v1/app")
                .header("Origin", "https://portal.example.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://portal.example.test")
                .expectHeader().doesNotExist("Access-Control-Allow-Credentials");
        client.options().uri("/api/v1/app")
                .header("Origin", "https://evil.example.test")
                .header("Access-Control-Request-Method", "POST")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
        client.get().uri("/api/v1/app").header("Origin", "https://portal.example.test")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://portal.example.test")
                .expectHeader().value("Access-Control-Expose-Headers", value -> assertThat(value).contains("Retry-After"));
    }

    @Test
    void servesOneApiDocumentMergedFromTheServicesWithoutAToken() {
        client.get().uri("/api/v1/openapi.json").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/ingest'].get.operationId").isEqualTo("v1.ingest.get")
                .jsonPath("$.paths['/api/v1/delivery'].get.operationId").isEqualTo("v1.delivery.get")
                .jsonPath("$.paths['/api/v1/health'].get.operationId").isEqualTo("v1.health.get")
                .jsonPath("$.components.schemas.ingestOut.type").isEqualTo("object")
                .jsonPath("$.components.schemas.deliveryOut.type").isEqualTo("object")
                .jsonPath("$.components.securitySchemes.HTTPBearer.scheme").isEqualTo("bearer")
                .jsonPath("$.security[0].HTTPBearer").isArray();
    }

    @Test
    void healthIsUpOnlyWhenEveryServiceIsAndNeedsNoToken() {
        client.get().uri("/api/v1/health/").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.gateway").isEqualTo("UP");
        client.head().uri("/api/v1/health/").exchange().expectStatus().isOk();

        delivery.health = "DOWN";

        client.get().uri("/api/v1/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.delivery-service").isEqualTo("DOWN")
                .jsonPath("$.components.ingest-service").isEqualTo("UP");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec authorized(String path) {
        return get(path, ADMIN_TOKEN).expectStatus().isOk();
    }
}
