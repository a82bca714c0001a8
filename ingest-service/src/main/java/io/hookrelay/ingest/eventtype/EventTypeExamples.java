package io.hookrelay.ingest.eventtype;

import io.hookrelay.support.api.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example payload of an event type, for send-example. As the Svix server: {@code svix.ping}
 * needs no event type and sends {@code {"success": true}}; any other name must be an event type
 * (archived ones included; 404 otherwise) whose version-"1" JSON Schema has an {@code examples}
 * array — without one there is nothing to send (400 {@code invalid_scheme}). Svix generates no
 * payload from the schema's properties, and neither do we.
 */
@Component
public class EventTypeExamples {

    static final String PING = "svix.ping";

    private final EventTypeRepository eventTypes;
    private final JsonMapper json;

    EventTypeExamples(EventTypeRepository eventTypes, JsonMapper json) {
        this.eventTypes = eventTypes;
        this.json = json;
    }

    /**
     * @param index which of the schema's examples (current Svix SDKs may send {@code exampleIndex};
     *     the open-source server always takes the first)
     */
    public Mono<JsonNode> example(String eventType, int index) {
        if (PING.equals(eventType)) {
            return Mono.just(json.createObjectNode().put("success", true));
        }
        return eventTypes
                .find(eventType)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Event type")))
                .flatMap(type -> {
                    JsonNode example = exampleOf(type.schemas(), index);
                    return example != null && example.isObject()
                            ? Mono.just(example)
                            : Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "invalid_scheme",
                                    "Unable to generate example message from event-type schema"));
                });
    }

    private static JsonNode exampleOf(JsonNode schemas, int index) {
        if (schemas == null) {
            return null;
        }
        JsonNode examples = schemas.path("1").path("examples");
        return examples.isArray() && index < examples.size() ? examples.get(index) : null;
    }
}
