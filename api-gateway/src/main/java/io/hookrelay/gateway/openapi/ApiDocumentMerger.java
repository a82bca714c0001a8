package io.hookrelay.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the public API document from the services' own (each generated from its controllers) and
 * the gateway's ({@code openapi/gateway-operations.json}: the operations it answers itself, tokens
 * and health, checked against its controllers by {@code GatewayApiDocumentIT}): their paths and
 * schemas side by side, plus the title, where the API is served and its bearer authentication.
 * The gateway's authenticated operations get the same Svix error answers the services' have.
 */
final class ApiDocumentMerger {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final Map<String, String> ERRORS = errors();

    private final JsonMapper json;
    private final JsonNode gateway;

    ApiDocumentMerger(JsonMapper json, JsonNode gateway) {
        this.json = json;
        this.gateway = gateway;
    }

    /** The gateway's part, as {@code openapi/gateway-operations.json} on the class path has it. */
    static JsonNode gatewayPart(JsonMapper json) {
        try (InputStream in = ApiDocumentMerger.class.getResourceAsStream("/openapi/gateway-operations.json")) {
            return json.readTree(Objects.requireNonNull(in, "openapi/gateway-operations.json is part of the jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode merge(List<JsonNode> services) {
        ObjectNode document = json.createObjectNode();
        document.put("openapi", services.getFirst().path("openapi").asString("3.0.1"));
        ObjectNode info = document.putObject("info");
        info.put("title", "HookRelay API");
        info.put("description", "Svix-compatible webhook delivery API: existing Svix SDKs work by changing the server URL.");
        info.put("version", "1.0.0");
        document.putArray("servers").addObject().put("url", "/");
        document.putArray("security").addObject().putArray("HTTPBearer");
        ObjectNode paths = document.putObject("paths");
        ObjectNode components = document.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        for (JsonNode part : services) {
            part.path("paths").properties().forEach(path -> mergeInto(paths, path.getKey(), path.getValue()));
            part.path("components").path("schemas").properties().forEach(schema -> schemas.set(schema.getKey(), schema.getValue()));
        }
        gateway.path("paths").properties().forEach(path -> mergeInto(paths, path.getKey(), withErrors(path.getValue())));
        gateway.path("components").path("schemas").properties().forEach(schema -> schemas.set(schema.getKey(), schema.getValue()));
        addErrorSchemas(schemas);
        components.putObject("securitySchemes").putObject("HTTPBearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "HTTP Bearer token passed in the `Authorization` header");
        return document;
    }

    /** Two parts may answer different methods of one path: keep every operation. */
    private static void mergeInto(ObjectNode paths, String path, JsonNode item) {
        JsonNode existing = paths.get(path);
        if (existing instanceof ObjectNode operations) {
            item.properties().forEach(operation -> operations.set(operation.getKey(), operation.getValue()));
        } else {
            paths.set(path, item.deepCopy());
        }
    }

    /** An operation behind a token can be refused like every other: Svix's error answers. */
    private static JsonNode withErrors(JsonNode item) {
        ObjectNode copy = (ObjectNode) item.deepCopy();
        copy.properties().forEach(operation -> {
            boolean isPublic = operation.getValue().path("security").isArray() && operation.getValue().path("security").isEmpty();
            if (!isPublic && operation.getValue().path("responses") instanceof ObjectNode responses) {
                ERRORS.forEach((status, description) -> {
                    if (!responses.has(status)) {
                        String schema = status.equals("422") ? "HTTPValidationError" : "HttpErrorOut";
                        responses.putObject(status).put("description", description)
                                .putObject("content").putObject("application/json").putObject("schema")
                                .put("$ref", SCHEMAS + schema);
                    }
                });
            }
        });
        return copy;
    }

    /** The services define them too; the gateway's own errors have the same shape. */
    private void addErrorSchemas(ObjectNode schemas) {
        if (!schemas.has("HttpErrorOut")) {
            ObjectNode error = schemas.putObject("HttpErrorOut").put("type", "object");
            error.putArray("required").add("code").add("detail");
            error.putObject("properties").<ObjectNode>setAll(Map.of(
                    "code", json.createObjectNode().put("type", "string"),
                    "detail", json.createObjectNode().put("type", "string")));
        }
        if (!schemas.has("ValidationError")) {
            ObjectNode item = schemas.putObject("ValidationError").put("type", "object");
            item.putArray("required").add("loc").add("msg").add("type");
            ObjectNode properties = item.putObject("properties");
            properties.putObject("loc").put("type", "array").putObject("items").put("type", "string");
            properties.putObject("msg").put("type", "string");
            properties.putObject("type").put("type", "string");
        }
        if (!schemas.has("HTTPValidationError")) {
            ObjectNode validation = schemas.putObject("HTTPValidationError").put("type", "object");
            validation.putArray("required").add("detail");
            validation.putObject("properties").putObject("detail").put("type", "array")
                    .putObject("items").put("$ref", SCHEMAS + "ValidationError");
        }
    }

    private static Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("401", "Unauthorized");
        errors.put("403", "Forbidden");
        errors.put("404", "Not Found");
        errors.put("409", "Conflict");
        errors.put("422", "Validation Error");
        errors.put("429", "Too Many Requests");
        return errors;
    }
}
