package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's part of the API document is written by hand ({@code openapi/gateway-operations.json});
 * this proves it is what the gateway's controllers really are and answer: the same operations
 * (a controller method added without documenting it fails here), the same path, query and body
 * parameters and response fields as the controllers' signatures, and every documented operation,
 * called for real, answering a documented status with a body that fits its documented schema.
 */
class GatewayApiDocumentIT extends GatewayIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode fragment;
    JsonNode served;
    final Set<String> called = new TreeSet<>();

    @BeforeEach
    void documents() throws Exception {
        try (var in = getClass().getResourceAsStream("/openapi/gateway-operations.json")) {
            fragment = JSON.readTree(in);
        }
        served = JSON.readTree(client.get().uri("/api/v1/openapi.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void documentsExactlyTheOperationsTheGatewaysControllersAnswer() {
        assertThat(documented(fragment).keySet()).isEqualTo(controllerOperations().keySet());
        assertThat(documented(served).keySet()).containsAll(documented(fragment).keySet());
        documented(fragment).forEach((operation, described) ->
                assertThat(served.path("paths").path(path(operation)).path(method(operation)).path("operationId"))
                        .as(operation).isEqualTo(described.path("operationId")));
    }

    @Test
    void documentsTheParametersBodiesAndFieldsOfTheControllers() {
        controllerOperations().forEach((operation, handler) -> {
            JsonNode described = documented(fragment).get(operation);
            Map<String, Boolean> pathParameters = new TreeMap<>();
            Map<String, Boolean> queryParameters = new TreeMap<>();
            Type body = null;
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.getParameterAnnotation(PathVariable.class) instanceof PathVariable variable) {
                    pathParameters.put(variable.value().isEmpty() ? variable.name() : variable.value(), true);
                }
                if (parameter.getParameterAnnotation(RequestParam.class) instanceof RequestParam query) {
                    queryParameters.put(query.name().isEmpty() ? query.value() : query.name(),
                            query.required() && ValueConstants.DEFAULT_NONE.equals(query.defaultValue()));
                }
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    body = parameter.getGenericParameterType();
                }
            }

            assertThat(parameters(described, "path")).as(operation + " path parameters").isEqualTo(pathParameters);
            assertThat(parameters(described, "query")).as(operation + " query parameters").isEqualTo(queryParameters);
            if (body == null) {
                assertThat(described.has("requestBody")).as(operation + " takes no body").isFalse();
            } else {
                assertThat(fields(schemaOf(described.path("requestBody")))).as(operation + " request body")
                        .isEqualTo(components(body));
            }
            Type answer = unwrap(handler.getReturnType().getGenericParameterType());
            for (JsonNode response : successes(described)) {
                if (answer == Void.class) {
                    assertThat(response.has("content")).as(operation + " answers no body").isFalse();
                } else if (record(answer)) {
                    assertThat(fields(schemaOf(response))).as(operation + " response").isEqualTo(components(answer));
                }
            }
        });
    }

    @Test
    void everyDocumentedOperationAnswersWhatItsDocumentSays() {
        ingest.answer("GET", "/api/v1/app/app_doc", 200, "{\"id\":\"app_doc\",\"uid\":\"doc-uid\",\"name\":\"doc\"}");
        Map<String, JsonNode> bodies = new LinkedHashMap<>();

        var access = call("POST /api/v1/auth/app-portal-access/{app_id}", "/api/v1/auth/app-portal-access/app_doc",
                "{\"readOnly\":false}", ADMIN_TOKEN);
        bodies.put("access", access);
        String appToken = access.path("token").asString();
        var orgToken = call("POST /api/v1/auth/token", "/api/v1/auth/token", "{\"name\":\"documented\"}", ADMIN_TOKEN);
        call("GET /api/v1/auth/token", "/api/v1/auth/token?limit=2", null, ADMIN_TOKEN);
        var appTokens = call("GET /api/v1/auth/app-token", "/api/v1/auth/app-token?app_id=app_doc", null, ADMIN_TOKEN);
        call("GET /api/v1/health", "/api/v1/health", null, null);
        call("GET /api/v1/health/ping", "/api/v1/health/ping", null, null);
        call("GET /api/v1/openapi.json", "/api/v1/openapi.json", null, null);
        call("POST /api/v1/auth/logout", "/api/v1/auth/logout", null, appToken);
        call("DELETE /api/v1/auth/token/{token_id}", "/api/v1/auth/token/" + orgToken.path("id").asString(), null, ADMIN_TOKEN);
        var another = call("POST /api/v1/auth/app-portal-access/{app_id}", "/api/v1/auth/app-portal-access/app_doc", null, ADMIN_TOKEN);
        String anotherId = get("/api/v1/app/app_doc/msg", another.path("token").asString()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("tokenId").toString();
        call("DELETE /api/v1/auth/app-token/{token_id}", "/api/v1/auth/app-token/" + anotherId, null, ADMIN_TOKEN);

        assertThat(appTokens.path("data").size()).isPositive();
        assertThat(called).as("every documented operation was called").isEqualTo(documented(fragment).keySet());
    }

    /** Calls one operation, checks the status and body against the served document, returns the body. */
    private JsonNode call(String operation, String uri, String body, String token) {
        var request = client.method(HttpMethod.valueOf(operation.split(" ")[0])).uri(java.net.URI.create(baseUrl() + uri));
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        var spec = body == null ? request.exchange() : request.header("Content-Type", "application/json").bodyValue(body).exchange();
        var result = spec.expectBody(String.class).returnResult();
        int status = result.getStatus().value();
        JsonNode responses = served.path("paths").path(path(operation)).path(method(operation)).path("responses");

        assertThat(responses.has(Integer.toString(status))).as(operation + " answered " + status + ": documented?").isTrue();
        assertThat(status).as(operation + " " + result.getResponseBody()).isBetween(200, 299);
        JsonNode documentedSchema = responses.path(Integer.toString(status)).path("content").path("application/json").path("schema");
        JsonNode answer = result.getResponseBody() == null ? null : JSON.readTree(result.getResponseBody());
        if (documentedSchema.isMissingNode()) {
            assertThat(result.getResponseBody()).as(operation + " answers no body").isNullOrEmpty();
        } else {
            assertFits(operation, answer, documentedSchema);
        }
        called.add(operation);
        return answer;
    }

    /** Required fields present, no field the schema does not name, each of its documented type. */
    private void assertFits(String where, JsonNode value, JsonNode schema) {
        JsonNode resolved = resolve(schema);
        if (value == null || value.isNull()) {
            assertThat(resolved.path("nullable").asBoolean(false) || schema.path("nullable").asBoolean(false))
                    .as(where + " is null: documented nullable?").isTrue();
            return;
        }
        String type = resolved.path("type").asString("object");
        switch (type) {
            case "string" -> assertThat(value.isString()).as(where + " is a string").isTrue();
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + " is an integer").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + " is a boolean").isTrue();
            case "array" -> {
                assertThat(value.isArray()).as(where + " is an array").isTrue();
                value.forEach(item -> assertFits(where + "[]", item, resolved.path("items")));
            }
            default -> {
                assertThat(value.isObject()).as(where + " is an object").isTrue();
                JsonNode properties = resolved.path("properties");
                if (properties.isObject() && !properties.isEmpty()) {
                    resolved.path("required").forEach(name ->
                            assertThat(value.has(name.asString())).as(where + "." + name.asString() + " required").isTrue());
                    value.propertyNames().forEach(name -> {
                        assertThat(properties.has(name)).as(where + "." + name + " documented").isTrue();
                        assertFits(where + "." + name, value.get(name), properties.get(name));
                    });
                }
            }
        }
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode target = schema.has("allOf") && schema.path("allOf").size() == 1 ? schema.path("allOf").get(0) : schema;
        String ref = target.path("$ref").asString("");
        return ref.isEmpty() ? target : served.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** "METHOD path" of every request mapping of the gateway's own controllers (HEAD and trailing slashes folded). */
    private Map<String, HandlerMethod> controllerOperations() {
        Map<String, HandlerMethod> operations = new TreeMap<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("io.hookrelay.gateway")) {
                return;
            }
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                String path = pattern.getPatternString().endsWith("/") ? pattern.getPatternString()
                        .substring(0, pattern.getPatternString().length() - 1) : pattern.getPatternString();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods) {
                    if (method != RequestMethod.HEAD) {
                        operations.put(method.name() + " " + path, handler);
                    }
                }
                assertThat(methods).as(path + " names its methods").isNotEmpty();
            }
        });
        return operations;
    }

    /** "METHOD path" → operation, for the operations of a document. */
    private static Map<String, JsonNode> documented(JsonNode document) {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), operation.getValue())));
        return operations;
    }

    private static String path(String operation) {
        return operation.split(" ", 2)[1];
    }

    private static String method(String operation) {
        return operation.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    }

    private static Map<String, Boolean> parameters(JsonNode operation, String in) {
        Map<String, Boolean> names = new TreeMap<>();
        operation.path("parameters").forEach(parameter -> {
            if (in.equals(parameter.path("in").asString())) {
                names.put(parameter.path("name").asString(), parameter.path("required").asBoolean(false));
            }
        });
        return names;
    }

    private static List<JsonNode> successes(JsonNode operation) {
        List<JsonNode> responses = new ArrayList<>();
        operation.path("responses").properties().forEach(response -> {
            if (response.getKey().startsWith("2")) {
                responses.add(response.getValue());
            }
        });
        return responses;
    }

    private static JsonNode schemaOf(JsonNode bodyOrResponse) {
        return bodyOrResponse.path("content").path("application/json").path("schema");
    }

    /** A schema's fields: property names, and for an array property of named items, their fields too. */
    private Map<String, Object> fields(JsonNode schema) {
        Map<String, Object> fields = new TreeMap<>();
        resolve(schema).path("properties").properties().forEach(property -> {
            JsonNode items = property.getValue().path("items");
            fields.put(property.getKey(), items.has("$ref") ? fields(items) : "");
        });
        return fields;
    }

    /** A record's components the same way; ListResponse<T> with T's components under data. */
    private static Map<String, Object> components(Type type) {
        Class<?> raw = (Class<?>) (type instanceof ParameterizedType generic ? generic.getRawType() : type);
        Map<String, Object> fields = new TreeMap<>();
        for (RecordComponent component : raw.getRecordComponents()) {
            Type componentType = component.getGenericType();
            boolean listOfT = componentType instanceof ParameterizedType list && list.getRawType() == List.class
                    && type instanceof ParameterizedType generic && list.getActualTypeArguments()[0] instanceof java.lang.reflect.TypeVariable<?>;
            fields.put(component.getName(), listOfT
                    ? components(((ParameterizedType) type).getActualTypeArguments()[0])
                    : "");
        }
        return fields;
    }

    private static boolean record(Type type) {
        Type raw = type instanceof ParameterizedType generic ? generic.getRawType() : type;
        return raw instanceof Class<?> c && c.isRecord();
    }

    /** {@code Mono<ResponseEntity<X>>} → X. */
    private static Type unwrap(Type type) {
        if (type instanceof ParameterizedType generic
                && (generic.getRawType() == Mono.class || generic.getRawType() == ResponseEntity.class)) {
            return unwrap(generic.getActualTypeArguments()[0]);
        }
        return type;
    }
}
