package io.hookrelay.ingest.application;

import io.hookrelay.events.PrefixedId;
import io.hookrelay.support.api.ListResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/app")
class ApplicationController {

    private final ApplicationRepository applications;
    private final PrefixedId ids;
    private final Clock clock;

    ApplicationController(ApplicationRepository applications, PrefixedId ids, Clock clock) {
        this.applications = applications;
        this.ids = ids;
        this.clock = clock;
    }

    @PostMapping
    Mono<ResponseEntity<ApplicationOut>> create(
            @Valid @RequestBody ApplicationIn in,
            @RequestParam(name = "get_if_exists", defaultValue = "false") boolean getIfExists) {
        Mono<ResponseEntity<ApplicationOut>> existing = getIfExists && in.uid() != null
                ? applications.find(in.uid()).map(app -> ResponseEntity.ok(ApplicationOut.of(app)))
                : Mono.empty();
        return existing.switchIfEmpty(Mono.defer(() -> insert(in)));
    }

    private Mono<ResponseEntity<ApplicationOut>> insert(ApplicationIn in) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var application = new Application(
                ids.next(PrefixedId.APPLICATION), in.uid(), in.name(), in.metadata(), in.throttleRate(), now, now);
        return applications
                .insert(application)
                .map(saved -> ResponseEntity.status(HttpStatus.CREATED).body(ApplicationOut.of(saved)));
    }

    @GetMapping("/{appId}")
    Mono<ApplicationOut> get(@PathVariable String appId) {
        return applications.require(appId).map(ApplicationOut::of);
    }

    @GetMapping
    Mono<ListResponse<ApplicationOut>> list(
            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String iterator) {
        int pageSize = Math.clamp(limit, 1, 250);
        return applications
                .list(iterator, pageSize)
                .map(ApplicationOut::of)
                .collectList()
                .map(rows -> ListResponse.page(rows, pageSize, ApplicationOut::id));
    }
}
