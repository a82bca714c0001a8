package io.hookrelay.ingest.application;

import io.hookrelay.events.PrefixedId;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.api.Patches;
import io.hookrelay.support.api.ListResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
@RequestMapping("/api/v1/app")
class ApplicationController {

    private final ApplicationRepository applications;
    private final Patches patches;
    private final PrefixedId ids;
    private final Clock clock;

    ApplicationController(ApplicationRepository applications, Patches patches, PrefixedId ids, Clock clock) {
        this.applications = applications;
        this.patches = patches;
        this.ids = ids;
        this.clock = clock;
    }

    @Operation(operationId = "v1.application.create")
    @ApiResponse(responseCode = "200", description = "Found (get_if_exists)")
    @ApiResponse(responseCode = "201", description = "Created")
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
        Instant now = now();
        var application = new Application(
                ids.next(PrefixedId.APPLICATION), in.uid(), in.name(), in.metadata(), in.throttleRate(), now, now);
        return applications
                .insert(application)
                .map(saved -> ResponseEntity.status(HttpStatus.CREATED).body(ApplicationOut.of(saved)));
    }

    @Operation(operationId = "v1.application.get")
    @GetMapping("/{appId}")
    Mono<ApplicationOut> get(@PathVariable String appId) {
        return applications.require(appId).map(ApplicationOut::of);
    }

    /** Svix's update: replaces the application, or creates it (201) when there is none by that id or uid. */
    @Operation(operationId = "v1.application.update")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @PutMapping("/{appId}")
    Mono<ResponseEntity<ApplicationOut>> update(@PathVariable String appId, @Valid @RequestBody ApplicationIn in) {
        return applications
                .find(appId)
                .flatMap(current -> replace(current, in))
                .map(ResponseEntity::ok)
                .switchIfEmpty(Mono.defer(() -> insert(in)));
    }

    @Operation(operationId = "patch_application")
    @PatchMapping("/{appId}")
    Mono<ApplicationOut> patch(@PathVariable String appId, @RequestBody JsonNode patch) {
        return applications.require(appId).flatMap(current -> {
            var currentIn = new ApplicationIn(current.name(), current.uid(), current.metadata(), current.throttleRate());
            return replace(current, patches.apply(currentIn, patch, Map.of(), ApplicationIn.class));
        });
    }

    @Operation(operationId = "v1.application.delete")
    @DeleteMapping("/{appId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String appId) {
        return applications.require(appId).flatMap(app -> applications.delete(app.id()));
    }

    @Operation(operationId = "v1.application.list")
    @GetMapping
    Mono<ListResponse<ApplicationOut>> list(
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(required = false) String order) {
        Page page = Page.of(limit, iterator, order, false);
        return applications
                .list(page)
                .map(ApplicationOut::of)
                .collectList()
                .map(rows -> page.response(rows, ApplicationOut::id));
    }

    private Mono<ApplicationOut> replace(Application current, ApplicationIn in) {
        var updated = new Application(
                current.id(), in.uid(), in.name(), in.metadata(), in.throttleRate(), current.createdAt(), now());
        return applications.update(updated).map(ApplicationOut::of);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
