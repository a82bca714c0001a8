package io.hookrelay.gateway.auth;

import io.hookrelay.gateway.GatewayProperties;
import io.hookrelay.gateway.api.GatewayException;
import io.hookrelay.gateway.routing.ServiceCredential;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Looks up (and, when asked, creates) the application an application token is issued for, through
 * ingest-service's own API: ingest owns applications, the gateway only remembers the id and uid.
 */
@Component
class IngestApplications {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private final WebClient ingest;

    IngestApplications(GatewayProperties properties, ServiceCredential credential) {
        this.ingest = WebClient.builder()
                .baseUrl(properties.ingestUri().toString())
                .defaultHeaders(credential::addTo)
                .build();
    }

    record Application(String id, String uid) {}

    /** The application named by id or uid; when it does not exist and {@code create} is given, creates it. */
    Mono<Application> findOrCreate(String idOrUid, Map<String, Object> create) {
        return ingest.get().uri("/api/v1/app/{app}", idOrUid)
                .exchangeToMono(response -> switch (response.statusCode().value()) {
                    case 200 -> application(response);
                    case 404 -> create == null
                            ? Mono.error(new GatewayException(HttpStatus.NOT_FOUND, "not_found", "Application not found"))
                            : Mono.empty();
                    default -> relay(response);
                })
                .switchIfEmpty(Mono.defer(() -> create(idOrUid, create)));
    }

    private Mono<Application> create(String idOrUid, Map<String, Object> application) {
        Map<String, Object> body = new HashMap<>(application);
        if (body.get("uid") == null && !idOrUid.startsWith("app_")) {
            body.put("uid", idOrUid);
        }
        return ingest.post().uri("/api/v1/app?get_if_exists=true")
                .bodyValue(body)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful() ? application(response) : relay(response));
    }

    private static Mono<Application> application(ClientResponse response) {
        return response.bodyToMono(JSON).map(app -> new Application((String) app.get("id"), (String) app.get("uid")));
    }

    /** ingest's own refusal (a 422 for a bad application, say) reaches the client as it is. */
    private static Mono<Application> relay(ClientResponse response) {
        return response.bodyToMono(JSON).defaultIfEmpty(Map.of()).flatMap(body -> Mono.error(new GatewayException(
                response.statusCode(),
                String.valueOf(body.getOrDefault("code", "service_error")),
                String.valueOf(body.getOrDefault("detail", "ingest-service refused the request")))));
    }
}
