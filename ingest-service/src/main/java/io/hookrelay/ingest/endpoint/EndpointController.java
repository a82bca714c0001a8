package io.hookrelay.ingest.endpoint;

import io.hookrelay.events.PrefixedId;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import io.hookrelay.ingest.application.ApplicationRepository;
import io.hookrelay.signer.InvalidSecretException;
import io.hookrelay.signer.WebhookSecret;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/app/{appId}/endpoint")
class EndpointController {

    private final ApplicationRepository applications;
    private final EndpointRepository endpoints;
    private final PrefixedId ids;
    private final Clock clock;

    EndpointController(ApplicationRepository applications, EndpointRepository endpoints, PrefixedId ids, Clock clock) {
        this.applications = applications;
        this.endpoints = endpoints;
        this.ids = ids;
        this.clock = clock;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<EndpointOut> create(@PathVariable String appId, @Valid @RequestBody EndpointIn in) {
        String url = EndpointUrl.validate(in.url());
        String secret = secretOf(in);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return applications
                .require(appId)
                .map(app -> new Endpoint(
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
                        secret,
                        now,
                        now))
                .flatMap(endpoints::insert)
                .map(EndpointOut::of);
    }

    @GetMapping("/{endpointId}")
    Mono<EndpointOut> get(@PathVariable String appId, @PathVariable String endpointId) {
        return applications
                .require(appId)
                .flatMap(app -> endpoints.require(app.id(), endpointId))
                .map(EndpointOut::of);
    }

    @GetMapping("/{endpointId}/secret")
    Mono<EndpointSecretOut> secret(@PathVariable String appId, @PathVariable String endpointId) {
        return applications
                .require(appId)
                .flatMap(app -> endpoints.require(app.id(), endpointId))
                .map(endpoint -> new EndpointSecretOut(endpoint.secret()));
    }

    @GetMapping
    Mono<ListResponse<EndpointOut>> list(
            @PathVariable String appId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String iterator) {
        int pageSize = Math.clamp(limit, 1, 250);
        return applications
                .require(appId)
                .flatMapMany(app -> endpoints.list(app.id(), iterator, pageSize))
                .map(EndpointOut::of)
                .collectList()
                .map(rows -> ListResponse.page(rows, pageSize, EndpointOut::id));
    }

    private static String secretOf(EndpointIn in) {
        if (in.secret() == null) {
            return WebhookSecret.generate().encoded();
        }
        try {
            return WebhookSecret.parse(in.secret()).encoded();
        } catch (InvalidSecretException e) {
            throw ApiException.validation("secret", "secret is not a valid whsec_ secret: " + e.getMessage());
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? null : values.stream().distinct().toList();
    }
}
