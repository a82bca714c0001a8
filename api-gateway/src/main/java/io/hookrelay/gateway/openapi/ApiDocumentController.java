package io.hookrelay.gateway.openapi;

import io.hookrelay.gateway.GatewayProperties;
import io.hookrelay.gateway.routing.ServiceCredential;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/openapi.json}: the public API document, public like the health check. The
 * services generate their parts from their controllers (springdoc, behind the internal
 * credential); this merges them with the gateway's own operations and keeps the result briefly. A service that does not answer
 * makes it a Svix-style 503 with {@code Retry-After}, never a partial document.
 */
@RestController
class ApiDocumentController {

    private static final Logger log = LoggerFactory.getLogger(ApiDocumentController.class);
    private static final String PART = "/v3/api-docs";

    private final WebClient client;
    private final GatewayProperties gateway;
    private final ServiceCredential credential;
    private final ApiDocumentProperties properties;
    private final ApiDocumentMerger merger;
    private final Mono<JsonNode> document;

    ApiDocumentController(GatewayProperties gateway, ServiceCredential credential, ApiDocumentProperties properties,
            JsonMapper json) {
        // The merged parts are tens of kilobytes; the default 256 KiB buffer would do today, not for long.
        this.client = WebClient.builder().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        this.gateway = gateway;
        this.credential = credential;
        this.properties = properties;
        this.merger = new ApiDocumentMerger(json, ApiDocumentMerger.gatewayPart(json));
        this.document = build().cache(merged -> properties.cacheFor(), error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @GetMapping(value = "/api/v1/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> document() {
        return document
                .<ResponseEntity<Object>>map(ResponseEntity::ok)
                .onErrorResume(error -> {
                    log.warn("API document unavailable: {}", error.toString());
                    return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                            .header(HttpHeaders.RETRY_AFTER, "5")
                            .body(Map.of("code", "service_unavailable",
                                    "detail", "A HookRelay service is unavailable; retry shortly")));
                });
    }

    private Mono<JsonNode> build() {
        return Mono.zip(part(gateway.ingestUri()), part(gateway.deliveryUri()))
                .map(parts -> merger.merge(List.of(parts.getT1(), parts.getT2())));
    }

    private Mono<JsonNode> part(URI service) {
        return client.get()
                .uri(service.resolve(PART))
                .headers(credential::addTo)
                .retrieve()
                .bodyToMono(JsonNode.class)
                .timeout(properties.timeout());
    }
}
