package io.hookrelay.gateway.openapi;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the public API document from the services' own (each generated from its controllers):
 * their paths and schemas side by side, plus what only the gateway knows — the title, where the
 * API is served, its bearer authentication and the health operation it answers itself.
 */
final class ApiDocumentMerger {

    private final JsonMapper json;

    ApiDocumentMerger(JsonMapper json) {
        this.json = json;
    }

    ObjectNode merge(List<JsonNode> parts) {
        ObjectNode document = json.createObjectNode();
        document.put("openapi", parts.getFirst().path("openapi").asString("3.0.1"));
        ObjectNode info = document.putObject("info");
        info.put("title", "HookRelay API");
        info.put("description", "Svix-compatible webhook delivery API: existing Svix SDKs work by changing the server URL.");
        info.put("version", "1.0.0");
        document.putArray("servers").addObject().put("url", "/");
        document.putArray("security").addObject().putArray("HTTPBearer");
        ObjectNode paths = document.putObject("paths");
        ObjectNode components = document.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        for (JsonNode part : parts) {
            part.path("paths").properties().forEach(path -> mergeInto(paths, path.getKey(), path.getValue()));
            part.path("components").path("schemas").properties().forEach(schema -> schemas.set(schema.getKey(), schema.getValue()));
        }
        paths.set("/api/v1/health", health());
        components.putObject("securitySchemes").putObject("HTTPBearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "HTTP Bearer token passed in the `Authorization` header");
        return document;
    }

    /** Two services may answer different methods of one path (none do today): keep every operation. */
    private static void mergeInto(ObjectNode paths, String path, JsonNode item) {
        JsonNode existing = paths.get(path);
        if (existing instanceof ObjectNode operations) {
            item.properties().forEach(operation -> operations.set(operation.getKey(), operation.getValue()));
        } else {
            paths.set(path, item.deepCopy());
        }
    }

    /** {@code HealthController}: public, 200 when every part is up, 503 naming the part that is not. */
    private ObjectNode health() {
        ObjectNode get = json.createObjectNode();
        get.put("operationId", "v1.health.get");
        get.put("summary", "Health");
        get.put("description", "Whether the gateway and every service behind it (with their PostgreSQL and Kafka) are ready.");
        get.putArray("tags").add("Health");
        get.putArray("security");
        ObjectNode status = json.createObjectNode().put("type", "object");
        status.putArray("required").add("status").add("components");
        ObjectNode properties = status.putObject("properties");
        properties.putObject("status").put("type", "string").putArray("enum").add("UP").add("DOWN");
        properties.putObject("components").put("type", "object").putObject("additionalProperties").put("type", "string");
        ObjectNode responses = get.putObject("responses");
        for (String code : List.of("200", "503")) {
            responses.putObject(code)
                    .put("description", code.equals("200") ? "Every part is up" : "A part is not ready")
                    .putObject("content").putObject("application/json").set("schema", status.deepCopy());
        }
        ObjectNode item = json.createObjectNode();
        item.set("get", get);
        return item;
    }
}
