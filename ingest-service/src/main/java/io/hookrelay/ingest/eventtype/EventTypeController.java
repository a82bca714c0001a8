package io.hookrelay.ingest.eventtype;

import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.api.Patches;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
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
@RequestMapping("/api/v1/event-type")
class EventTypeController {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9\\-_.]{1,256}$");

    private final EventTypeRepository eventTypes;
    private final Patches patches;
    private final Clock clock;

    EventTypeController(EventTypeRepository eventTypes, Patches patches, Clock clock) {
        this.eventTypes = eventTypes;
        this.patches = patches;
        this.clock = clock;
    }

    /** Svix's create: creates, or un-archives an archived one with the new description and schemas. */
    @Operation(operationId = "v1.event-type.create")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<EventTypeOut> create(@Valid @RequestBody EventTypeIn in) {
        EventTypeUpdate values = checked(in.withoutName());
        return eventTypes
                .find(in.name())
                .flatMap(existing -> existing.archived()
                        ? eventTypes.update(merge(existing, values, false))
                        : Mono.error(ApiException.conflict("An event type named '" + in.name() + "' already exists")))
                .switchIfEmpty(Mono.defer(() -> eventTypes.insert(fresh(in.name(), values))))
                .map(type -> EventTypeOut.of(type, true));
    }

    @Operation(operationId = "v1.event-type.get")
    @GetMapping("/{eventTypeName}")
    Mono<EventTypeOut> get(@PathVariable("eventTypeName") String name) {
        return require(name).map(type -> EventTypeOut.of(type, true));
    }

    @Operation(operationId = "v1.event-type.update")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @PutMapping("/{eventTypeName}")
    Mono<ResponseEntity<EventTypeOut>> update(@PathVariable("eventTypeName") String name, @Valid @RequestBody EventTypeUpdate in) {
        EventTypeUpdate values = checked(in);
        return eventTypes
                .find(name)
                .flatMap(existing -> eventTypes.update(merge(existing, values, existing.archived())))
                .map(type -> ResponseEntity.ok(EventTypeOut.of(type, true)))
                .switchIfEmpty(Mono.defer(() -> eventTypes
                        .insert(fresh(validName(name), values))
                        .map(type -> ResponseEntity.status(HttpStatus.CREATED).body(EventTypeOut.of(type, true)))));
    }

    @Operation(operationId = "patch_event_type")
    @PatchMapping("/{eventTypeName}")
    Mono<EventTypeOut> patch(@PathVariable("eventTypeName") String name, @RequestBody JsonNode patch) {
        return require(name)
                .flatMap(existing -> {
                    var current = new EventTypeUpdate(
                            existing.description(),
                            existing.archived(),
                            existing.deprecated(),
                            existing.featureFlag(),
                            existing.schemas());
                    var patched = checked(patches.apply(current, patch, Map.of(), EventTypeUpdate.class));
                    return eventTypes.update(merge(existing, patched, existing.archived()));
                })
                .map(type -> EventTypeOut.of(type, true));
    }

    /** Archives (Svix's default) or, with {@code expunge=true}, deletes the event type for good. */
    @Operation(operationId = "v1.event-type.delete")
    @DeleteMapping("/{eventTypeName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable("eventTypeName") String name, @RequestParam(defaultValue = "false") boolean expunge) {
        return require(name).flatMap(type -> expunge ? eventTypes.expunge(type.name()) : eventTypes.archive(type.name(), now()));
    }

    @Operation(operationId = "v1.event-type.list")
    @GetMapping
    Mono<ListResponse<EventTypeOut>> list(
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(required = false) String order,
            @RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived,
            @RequestParam(name = "with_content", defaultValue = "false") boolean withContent) {
        Page page = Page.of(limit, iterator, order, false);
        return eventTypes
                .list(page, includeArchived)
                .map(type -> EventTypeOut.of(type, withContent))
                .collectList()
                .map(rows -> page.response(rows, EventTypeOut::name));
    }

    private Mono<EventType> require(String name) {
        return eventTypes.find(name).switchIfEmpty(Mono.error(() -> ApiException.notFound("Event type")));
    }

    /**
     * An update names every field: absent booleans take Svix's defaults. {@code archived} absent
     * from a PUT keeps the current state rather than silently un-archiving.
     */
    private EventType merge(EventType existing, EventTypeUpdate in, boolean archivedByDefault) {
        return new EventType(
                existing.name(),
                in.description(),
                in.archived() == null ? archivedByDefault : in.archived(),
                Boolean.TRUE.equals(in.deprecated()),
                in.featureFlag(),
                in.schemas(),
                existing.createdAt(),
                now());
    }

    private EventType fresh(String name, EventTypeUpdate in) {
        Instant now = now();
        return new EventType(
                name,
                in.description(),
                Boolean.TRUE.equals(in.archived()),
                Boolean.TRUE.equals(in.deprecated()),
                in.featureFlag(),
                in.schemas(),
                now,
                now);
    }

    /** {@code schemas} maps a version to a JSON schema object. */
    private static EventTypeUpdate checked(EventTypeUpdate in) {
        JsonNode schemas = in.schemas();
        if (schemas != null && !schemas.isNull()) {
            if (!schemas.isObject()) {
                throw ApiException.validation("schemas", "schemas must be an object of JSON schemas by version");
            }
            for (var entry : schemas.properties()) {
                if (!entry.getValue().isObject()) {
                    throw ApiException.validation("schemas", "schemas." + entry.getKey() + " must be a JSON object");
                }
            }
        }
        return schemas != null && schemas.isNull()
                ? new EventTypeUpdate(in.description(), in.archived(), in.deprecated(), in.featureFlag(), null)
                : in;
    }

    private static String validName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.validation("name", "name may contain only a-z A-Z 0-9 - _ . (at most 256)");
        }
        return name;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
