package io.hookrelay.ingest.endpoint;

import io.hookrelay.events.PrefixedId;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.api.Patches;
import io.hookrelay.ingest.application.Application;
import io.hookrelay.ingest.application.ApplicationRepository;
import io.hookrelay.signer.InvalidSecretException;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/app/{appId}/endpoint")
class EndpointController {

    /** Svix keeps the replaced secret valid this long unless the rotation says otherwise. */
    private static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(24);

    private final ApplicationRepository applications;
    private final EndpointRepository endpoints;
    private final EndpointLimit limit;
    private final Patches patches;
    private final PrefixedId ids;
    private final Clock clock;

    EndpointController(
            ApplicationRepository applications,
            EndpointRepository endpoints,
            EndpointLimit limit,
            Patches patches,
            PrefixedId ids,
            Clock clock) {
        this.applications = applications;
        this.endpoints = endpoints;
        this.limit = limit;
        this.patches = patches;
        this.ids = ids;
        this.clock = clock;
    }

    @Operation(operationId = "v1.endpoint.create")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<EndpointOut> create(@PathVariable String appId, @Valid @RequestBody EndpointIn in) {
        return applications.require(appId).flatMap(app -> insert(app, in));
    }

    private Mono<EndpointOut> insert(Application app, EndpointIn in) {
        String url = EndpointUrl.validate(in.url());
        String secret = secretOf(in.secret(), "secret");
        Instant now = now();
        var endpoint = new Endpoint(
                ids.next(PrefixedId.ENDPOINT),
                app.id(),
                in.uid(),
                url,
                in.description(),
                in.version() == null ? 1 : in.version(),
                distinct(in.eventTypes()),
                distinct(in.channels()),
                Boolean.TRUE.equals(in.disabled()),
                in.throttleRate(),
                in.metadata(),
                now,
                now);
        return limit.insert(endpoint, secret).map(EndpointOut::of);
    }

    @Operation(operationId = "v1.endpoint.get")
    @GetMapping("/{endpointId}")
    Mono<EndpointOut> get(@PathVariable String appId, @PathVariable String endpointId) {
        return find(appId, endpointId).map(EndpointOut::of);
    }

    /**
     * Svix's update: replaces the endpoint (secret and headers stay), or creates it (201) with a
     * generated secret if missing.
     */
    @Operation(operationId = "v1.endpoint.update")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @PutMapping("/{endpointId}")
    Mono<ResponseEntity<EndpointOut>> update(
            @PathVariable String appId, @PathVariable String endpointId, @Valid @RequestBody EndpointUpdate in) {
        return applications.require(appId).flatMap(app -> endpoints
                .find(app.id(), endpointId)
                .flatMap(current -> replace(current, in))
                .map(ResponseEntity::ok)
                .switchIfEmpty(Mono.defer(() -> insert(app, in.asNewEndpoint())
                        .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(created)))));
    }

    @Operation(operationId = "patch_endpoint")
    @PatchMapping("/{endpointId}")
    Mono<EndpointOut> patch(@PathVariable String appId, @PathVariable String endpointId, @RequestBody JsonNode patch) {
        return find(appId, endpointId).flatMap(current -> {
            var currentIn = new EndpointUpdate(
                    current.url(),
                    current.description(),
                    current.uid(),
                    current.version(),
                    current.eventTypes(),
                    current.channels(),
                    current.disabled(),
                    current.throttleRate(),
                    current.metadata());
            var patched = patches.apply(currentIn, patch, Map.of("filterTypes", "eventTypes"), EndpointUpdate.class);
            return replace(current, patched);
        });
    }

    @Operation(operationId = "v1.endpoint.delete")
    @DeleteMapping("/{endpointId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String appId, @PathVariable String endpointId) {
        return find(appId, endpointId).flatMap(endpoint -> endpoints.delete(endpoint.id()));
    }

    @Operation(operationId = "v1.endpoint.get-secret")
    @GetMapping("/{endpointId}/secret")
    Mono<EndpointSecretOut> secret(@PathVariable String appId, @PathVariable String endpointId) {
        return find(appId, endpointId).flatMap(endpoint -> endpoints.secret(endpoint.id())).map(EndpointSecretOut::new);
    }

    @Operation(operationId = "v1.endpoint.rotate-secret")
    @PostMapping("/{endpointId}/secret/rotate")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> rotateSecret(
            @PathVariable String appId,
            @PathVariable String endpointId,
            @Valid @RequestBody(required = false) EndpointSecretRotateIn in) {
        String secret = secretOf(in == null ? null : in.key(), "key");
        Duration grace = in == null || in.gracePeriodSeconds() == null
                ? DEFAULT_GRACE_PERIOD
                : Duration.ofSeconds(in.gracePeriodSeconds());
        Instant now = now();
        return find(appId, endpointId).flatMap(endpoint -> endpoints.rotateSecret(endpoint.id(), secret, now.plus(grace), now));
    }

    @Operation(operationId = "v1.endpoint.get-headers")
    @GetMapping("/{endpointId}/headers")
    Mono<EndpointHeadersOut> headers(@PathVariable String appId, @PathVariable String endpointId) {
        return find(appId, endpointId).flatMap(endpoint -> endpoints.headers(endpoint.id())).map(EndpointHeaders::out);
    }

    @Operation(operationId = "v1.endpoint.update-headers")
    @PutMapping("/{endpointId}/headers")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> updateHeaders(
            @PathVariable String appId, @PathVariable String endpointId, @RequestBody EndpointHeadersIn in) {
        Map<String, String> headers = EndpointHeaders.validated(in.headers());
        return find(appId, endpointId).flatMap(endpoint -> endpoints.updateHeaders(endpoint.id(), headers, now()));
    }

    @Operation(operationId = "v1.endpoint.patch-headers")
    @PatchMapping("/{endpointId}/headers")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> patchHeaders(
            @PathVariable String appId, @PathVariable String endpointId, @RequestBody EndpointHeadersPatchIn in) {
        return find(appId, endpointId).flatMap(endpoint -> endpoints.headers(endpoint.id())
                .flatMap(current -> endpoints.updateHeaders(
                        endpoint.id(), EndpointHeaders.patched(current, in.headers(), in.deleteHeaders()), now())));
    }

    @Operation(operationId = "v1.endpoint.list")
    @GetMapping
    Mono<ListResponse<EndpointOut>> list(
            @PathVariable String appId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(required = false) String order) {
        Page page = Page.of(limit, iterator, order, false);
        return applications
                .require(appId)
                .flatMapMany(app -> endpoints.list(app.id(), page))
                .map(EndpointOut::of)
                .collectList()
                .map(rows -> page.response(rows, EndpointOut::id));
    }

    private Mono<Endpoint> find(String appId, String endpointId) {
        return applications.require(appId).flatMap(app -> endpoints.require(app.id(), endpointId));
    }

    private Mono<EndpointOut> replace(Endpoint current, EndpointUpdate in) {
        var updated = new Endpoint(
                current.id(),
                current.appId(),
                in.uid(),
                EndpointUrl.validate(in.url()),
                in.description(),
                in.version() == null ? current.version() : in.version(),
                distinct(in.eventTypes()),
                distinct(in.channels()),
                Boolean.TRUE.equals(in.disabled()),
                in.throttleRate(),
                in.metadata(),
                current.createdAt(),
                now());
        return endpoints.update(updated).map(EndpointOut::of);
    }

    private static String secretOf(String given, String field) {
        if (given == null) {
            return WebhookSecret.generate().encoded();
        }
        try {
            return WebhookSecret.parse(given).encoded();
        } catch (InvalidSecretException e) {
            throw ApiException.validation(field, field + " is not a valid whsec_ secret: " + e.getMessage());
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? null : values.stream().distinct().toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
